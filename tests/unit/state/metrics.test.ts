import { describe, expect, it } from 'vitest';
import { answerMetrics } from '../../../src/lib/state/metrics.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';

const base: Answer = {
	choices: [{ index: 0, content: 'x'.repeat(400), reasoning: '', toolCalls: [] }],
	timing: { startedAt: 1000, firstTokenAt: 1250, endedAt: 3250 },
	status: 'done'
};

describe('answer metrics', () => {
	it('reports time to first token, total time and tokens per second from usage', () => {
		const m = answerMetrics({ ...base, usage: { prompt_tokens: 12, completion_tokens: 50 } });
		expect(m).toMatchObject({
			ttftMs: 250,
			totalMs: 2250,
			promptTokens: 12,
			completionTokens: 50,
			tokensPerSecond: 25,
			estimated: false
		});
	});

	it('estimates tokens from text when the gateway reports no usage, and says so', () => {
		const m = answerMetrics(base);
		expect(m.estimated).toBe(true);
		expect(m.completionTokens).toBe(100);
		expect(m.promptTokens).toBeUndefined();
	});

	it('prices an answer per million tokens', () => {
		const m = answerMetrics(
			{ ...base, usage: { prompt_tokens: 1_000_000, completion_tokens: 500_000 } },
			{ input: 2, output: 8 }
		);
		expect(m.cost).toBeCloseTo(6);
	});

	it('leaves unknown values unset while streaming', () => {
		const m = answerMetrics({ ...base, timing: { startedAt: 5 }, status: 'streaming' });
		expect(m.ttftMs).toBeUndefined();
		expect(m.totalMs).toBeUndefined();
		expect(m.tokensPerSecond).toBeUndefined();
	});
});
