import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	createAnswerSaver,
	deleteMessages,
	listLatestMessages,
	listMessages,
	markInterrupted,
	putMessage
} from '../../../src/lib/db/messages.ts';
import {
	getConversation,
	listConversations,
	putConversation
} from '../../../src/lib/db/conversations.ts';
import { answerMetrics } from '../../../src/lib/state/metrics.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';
import { answer, conv, freshDb, msg } from './helpers.ts';

afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

describe('listLatestMessages', () => {
	it("reads each column's latest messages, in order, and only those", async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1, ['a', 'b']));
		for (let seq = 1; seq <= 30; seq++) await putMessage(db, msg('x', 'a', seq));
		for (const seq of [4, 2, 9]) await putMessage(db, msg('x', 'b', seq));
		await putMessage(db, msg('y', 'a', 99));
		const latest = await listLatestMessages(db, 'x', ['a', 'b'], 5);
		expect(latest.map((m) => `${m.columnId}:${m.seq}`)).toEqual([
			'a:26',
			'a:27',
			'a:28',
			'a:29',
			'a:30',
			'b:2',
			'b:4',
			'b:9'
		]);
	});
});

describe('listMessages', () => {
	it('lists a conversation ordered by column then seq, only its own messages', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1, ['b', 'a']));
		await putConversation(db, conv('x2', 1));
		const order: Array<[string, number]> = [
			['b', 10],
			['a', 3],
			['b', 2],
			['a', 1],
			['a', 20],
			['b', 1]
		];
		for (const [col, seq] of order) await putMessage(db, msg('x', col, seq));
		await putMessage(db, msg('x2', 'a', 0));
		await putMessage(db, msg('x2', 'a', 5));
		expect((await listMessages(db, 'x')).map((m) => `${m.columnId}:${m.seq}`)).toEqual([
			'a:1',
			'a:3',
			'a:20',
			'b:1',
			'b:2',
			'b:10'
		]);
		expect((await listMessages(db, 'x2')).map((m) => m.seq)).toEqual([0, 5]);
		expect(await listMessages(db, 'x3')).toEqual([]);
	});

	it('uses the compound index rather than reading the whole table', async () => {
		const { db } = freshDb();
		await putMessage(db, msg('x', 'a', 1));
		const where = vi.spyOn(db.messages, 'where');
		await listMessages(db, 'x');
		expect(where).toHaveBeenCalledWith('[conversationId+columnId+seq]');
	});
});

describe('putMessage and deleteMessages', () => {
	it('putMessage bumps its conversation updatedAt and stores the message', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1));
		await putConversation(db, conv('y', 1000));
		const before = Date.now();
		await putMessage(db, msg('x', 'x-a', 1));
		const x = await getConversation(db, 'x');
		expect(x?.updatedAt).toBeGreaterThanOrEqual(before);
		expect(x?.title).toBe('Chat x');
		expect((await getConversation(db, 'y'))?.updatedAt).toBe(1000);
		expect((await listConversations(db, { limit: 1 }))[0]?.id).toBe('x');
		expect(await db.messages.get('x/x-a/1')).toEqual(msg('x', 'x-a', 1));
	});

	it('deleteMessages removes only the given ids', async () => {
		const { db } = freshDb();
		for (const s of [1, 2, 3]) await putMessage(db, msg('x', 'a', s));
		await deleteMessages(db, ['x/a/1', 'x/a/3']);
		expect((await listMessages(db, 'x')).map((m) => m.seq)).toEqual([2]);
	});
});

describe('markInterrupted', () => {
	it('turns streaming answers into interrupted and leaves others', async () => {
		const { db } = freshDb();
		await putMessage(
			db,
			msg('x', 'a', 1, { role: 'assistant', answer: answer('streaming', { startedAt: 5 }) })
		);
		await putMessage(
			db,
			msg('x', 'a', 2, {
				role: 'assistant',
				answer: answer('streaming', { startedAt: 5, firstTokenAt: 7 })
			})
		);
		await putMessage(
			db,
			msg('x', 'a', 3, {
				role: 'assistant',
				answer: answer('streaming', { startedAt: 5, firstTokenAt: 7, endedAt: 9 })
			})
		);
		for (const [seq, status] of [
			[4, 'done'],
			[5, 'stopped'],
			[6, 'failed']
		] as const)
			await putMessage(db, msg('x', 'a', seq, { role: 'assistant', answer: answer(status) }));
		await putMessage(db, msg('x', 'a', 7));

		expect(await markInterrupted(db)).toBe(3);
		const rows = await listMessages(db, 'x');
		expect(rows.map((m) => m.answer?.status)).toEqual([
			'interrupted',
			'interrupted',
			'interrupted',
			'done',
			'stopped',
			'failed',
			undefined
		]);
		// Never ended: the total is unknown unless an end time was recorded.
		expect(rows.slice(0, 3).map((m) => m.answer?.timing.endedAt)).toEqual([
			undefined,
			undefined,
			9
		]);
		expect(rows[3]?.answer?.timing.endedAt).toBeUndefined();
		expect(rows[6]).toEqual(msg('x', 'a', 7));
		expect(await markInterrupted(db)).toBe(0);
	});

	/** A streaming answer with this timing, after a reload marked it interrupted. */
	async function interrupted(timing: Answer['timing']): Promise<Answer | undefined> {
		const { db } = freshDb();
		await putConversation(db, conv('c', 1));
		await putMessage(
			db,
			msg('c', 'c-a', 1, { role: 'assistant', answer: answer('streaming', timing, 'half an answ') })
		);
		expect(await markInterrupted(db)).toBe(1);
		const [row] = await listMessages(db, 'c');
		return row?.answer;
	}

	it('leaves the total of an interrupted answer unknown: it never ended', async () => {
		const got = await interrupted({ startedAt: 1000, firstTokenAt: 1800 });
		expect(got?.status).toBe('interrupted');
		expect(got?.timing).toEqual({ startedAt: 1000, firstTokenAt: 1800 });
		const metrics = answerMetrics(got as Answer);
		expect(metrics.ttftMs).toBe(800);
		expect(metrics.totalMs).toBeUndefined();
		expect(metrics.tokensPerSecond).toBeUndefined();
	});

	it('keeps an end time that was recorded', async () => {
		const got = await interrupted({ startedAt: 1000, firstTokenAt: 1800, endedAt: 5000 });
		expect(answerMetrics(got as Answer).totalMs).toBe(4000);
	});
});

describe('createAnswerSaver', () => {
	/**
	 * Fakes only the clock the saver reads and the timer it sets: fake-indexeddb schedules its
	 * own work with setImmediate, which stays real, so the database still answers.
	 */
	function fakeClock() {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
		vi.setSystemTime(1_000_000);
	}

	/** What each bulkPut wrote: the content of every row, per call. */
	function writes(bulkPut: { mock: { calls: Array<[readonly unknown[], ...unknown[]]> } }) {
		return bulkPut.mock.calls.map(([rows]) => rows.map((r) => (r as { content?: string }).content));
	}

	it('saves 1000 tokens streamed over 1.5 s a few times a second, ending with the latest', async () => {
		fakeClock();
		const { db } = freshDb();
		const bulkPut = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db, { intervalMs: 400 });
		// Ten tokens every 15 ms, as a fast model sends them.
		for (let i = 0; i < 1000; i++) {
			saver.save(msg('x', 'a', 1, { role: 'assistant', content: `v${i}` }));
			if (i % 10 === 9) await vi.advanceTimersByTimeAsync(15);
		}
		await saver.flush();
		// At 0 ms (the first save), then every 400 ms with the latest token (v269 was saved at
		// 390 ms, v539 at 795 ms, v799 at 1185 ms), and the flush: five writes, not a thousand.
		expect(writes(bulkPut)).toEqual([['v9'], ['v269'], ['v539'], ['v799'], ['v999']]);
		expect((await db.messages.get('x/a/1'))?.content).toBe('v999');
		expect(await db.messages.count()).toBe(1);
	});

	it('writes every pending message in one batch per interval, the latest value of each', async () => {
		fakeClock();
		const { db } = freshDb();
		const bulkPut = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db, { intervalMs: 400 });
		for (let t = 0; t < 1000; t += 10) {
			saver.save(msg('x', 'a', 1, { content: `a${t}` }));
			saver.save(msg('x', 'b', 1, { content: `b${t}` }));
			await vi.advanceTimersByTimeAsync(10);
		}
		await saver.flush();
		// Both messages together at 0, 400 and 800 ms, then the flush: never one write per save.
		expect(writes(bulkPut)).toEqual([
			['a0', 'b0'],
			['a390', 'b390'],
			['a790', 'b790'],
			['a990', 'b990']
		]);
		expect((await db.messages.get('x/a/1'))?.content).toBe('a990');
		expect((await db.messages.get('x/b/1'))?.content).toBe('b990');
	});

	it('flush with nothing pending writes nothing and resolves', async () => {
		const { db } = freshDb();
		const bulkPut = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db);
		await saver.flush();
		expect(bulkPut).not.toHaveBeenCalled();
	});

	it('reports write errors to onError', async () => {
		const { db } = freshDb();
		const boom = new DOMException('full', 'QuotaExceededError');
		vi.spyOn(db.messages, 'bulkPut').mockRejectedValue(boom);
		const onError = vi.fn();
		const saver = createAnswerSaver(db, { intervalMs: 50, onError });
		saver.save(msg('x', 'a', 1));
		await saver.flush();
		expect(onError).toHaveBeenCalledWith(boom);
	});
});
