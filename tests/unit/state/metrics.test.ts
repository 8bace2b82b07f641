import { describe, expect, it } from 'vitest';
import { answerMetrics } from '../../../src/lib/state/metrics.ts';
import { compareRows } from '../../../src/lib/state/compare.ts';
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
			// The 49 tokens after the first, over the 2 s from the first token to the end.
			tokensPerSecond: 24.5,
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

	describe('tokens per second: only when meaningful', () => {
		const timed = (firstTokenAt: number, endedAt: number, completion: number): Answer => ({
			...base,
			usage: { prompt_tokens: 5, completion_tokens: completion },
			timing: { startedAt: 1000, firstTokenAt, endedAt }
		});

		it('a burst answer (everything within 1 ms) has no rate, not 186,666 tok/s', () => {
			expect(answerMetrics(timed(1250, 1251, 187)).tokensPerSecond).toBeUndefined();
		});

		it('needs at least 50 ms of generation', () => {
			expect(answerMetrics(timed(1250, 1299, 20)).tokensPerSecond).toBeUndefined();
			expect(answerMetrics(timed(1250, 1300, 21)).tokensPerSecond).toBeCloseTo(400);
		});

		it('needs at least 2 completion tokens (one after the first)', () => {
			expect(answerMetrics(timed(1250, 3250, 1)).tokensPerSecond).toBeUndefined();
			expect(answerMetrics(timed(1250, 3250, 2)).tokensPerSecond).toBeCloseTo(0.5);
		});

		it('a non-streamed answer (first token = end) has no rate', () => {
			expect(answerMetrics(timed(3250, 3250, 50)).tokensPerSecond).toBeUndefined();
		});

		it('hidden reasoning tokens, generated before the first visible token, are left out', () => {
			const m = answerMetrics({
				...timed(1250, 2250, 1101),
				usage: {
					prompt_tokens: 5,
					completion_tokens: 1101,
					completion_tokens_details: { reasoning_tokens: 1000 }
				}
			});
			expect(m.tokensPerSecond).toBeCloseTo(100);
		});

		it('an answer without a rate is left out of "fastest"', () => {
			const { rows, best } = compareRows([
				{ model: 'burst', answer: timed(1250, 1251, 187) },
				{ model: 'steady', answer: timed(1250, 3250, 101) }
			]);
			expect(rows[0]?.metrics.tokensPerSecond).toBeUndefined();
			expect(best.tokensPerSecond).toBe(2);
		});

		it('a stopped or failed answer is shown but wins nothing: it is partial', () => {
			const { rows, best } = compareRows([
				{ model: 'stopped', answer: { ...timed(100, 200, 50), status: 'stopped' } },
				{ model: 'failed', answer: { ...timed(100, 300, 50), status: 'failed' } },
				{ model: 'done', answer: timed(1250, 3250, 101) }
			]);
			expect(rows).toHaveLength(3);
			expect(best).toEqual({ ttftMs: 3, totalMs: 3, tokensPerSecond: 3, cost: undefined });
		});
	});
});
