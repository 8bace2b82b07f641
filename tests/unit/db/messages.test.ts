import { describe, expect, it } from 'vitest';
import { listMessages, markInterrupted, putMessage } from '../../../src/lib/db/messages.ts';
import { putConversation } from '../../../src/lib/db/conversations.ts';
import { answerMetrics } from '../../../src/lib/state/metrics.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';
import { conv, freshDb, msg } from './helpers.ts';

function streaming(timing: Answer['timing']): Answer {
	return {
		choices: [{ index: 0, content: 'half an answ', reasoning: '', toolCalls: [] }],
		timing,
		status: 'streaming'
	};
}

describe('markInterrupted', () => {
	it('leaves the total of an interrupted answer unknown: it never ended', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('c', 1));
		await putMessage(
			db,
			msg('c', 'c-a', 1, {
				role: 'assistant',
				answer: streaming({ startedAt: 1000, firstTokenAt: 1800 })
			})
		);
		expect(await markInterrupted(db)).toBe(1);
		const [row] = await listMessages(db, 'c');
		expect(row?.answer?.status).toBe('interrupted');
		expect(row?.answer?.timing).toEqual({ startedAt: 1000, firstTokenAt: 1800 });
		const metrics = answerMetrics(row?.answer as Answer);
		expect(metrics.ttftMs).toBe(800);
		expect(metrics.totalMs).toBeUndefined();
		expect(metrics.tokensPerSecond).toBeUndefined();
	});

	it('keeps an end time that was recorded', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('c', 1));
		await putMessage(
			db,
			msg('c', 'c-a', 1, {
				role: 'assistant',
				answer: streaming({ startedAt: 1000, firstTokenAt: 1800, endedAt: 5000 })
			})
		);
		await markInterrupted(db);
		const [row] = await listMessages(db, 'c');
		expect(answerMetrics(row?.answer as Answer).totalMs).toBe(4000);
	});
});
