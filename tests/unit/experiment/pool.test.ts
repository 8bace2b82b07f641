import { describe, expect, it, vi } from 'vitest';
import {
	retryDelay,
	runPool,
	withRetries,
	type RetryPolicy
} from '../../../src/lib/experiment/pool.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';

const answer = (status?: number, retryAfter?: number): Answer => ({
	choices: [],
	timing: { startedAt: 0 },
	status: status === undefined ? 'done' : 'failed',
	...(status === undefined
		? {}
		: { error: { kind: 'http', status, message: { key: 'error.http' }, retryAfter } })
});

describe('runPool', () => {
	it('never has more than `concurrency` jobs in flight, and does every job once', async () => {
		let inFlight = 0;
		let most = 0;
		const done: number[] = [];
		const jobs = Array.from({ length: 23 }, (_, i) => i);
		await runPool(jobs, 3, async (j) => {
			most = Math.max(most, ++inFlight);
			// Uneven durations, so jobs finish out of order.
			for (let k = 0; k < (j * 7) % 5; k++) await Promise.resolve();
			inFlight--;
			done.push(j);
		});
		expect(most).toBe(3);
		expect(done.sort((a, b) => a - b)).toEqual(jobs);
	});

	it('starts nothing once stopped', async () => {
		const controller = new AbortController();
		const started: number[] = [];
		await runPool(
			[0, 1, 2, 3, 4, 5],
			2,
			async (j) => {
				started.push(j);
				if (j === 2) controller.abort();
				await Promise.resolve();
			},
			controller.signal
		);
		expect(started).toEqual([0, 1, 2]);
	});
});

describe('retries', () => {
	const policy: RetryPolicy = { retries: 3, baseMs: 1000, maxMs: 30_000 };

	it('waits as Retry-After says, else backs off exponentially with jitter, capped', () => {
		expect(retryDelay(1, 7, policy)).toBe(7000);
		expect(retryDelay(1, 600, policy)).toBe(30_000);
		expect(retryDelay(1, undefined, policy, () => 0)).toBe(500);
		expect(retryDelay(3, undefined, policy, () => 1)).toBe(4000);
		expect(retryDelay(20, undefined, policy, () => 1)).toBe(30_000);
	});

	it('retries 429 and 5xx a bounded number of times on a fake clock, and reports each retry', async () => {
		vi.useFakeTimers();
		try {
			const call = vi.fn(async () => answer(429, 2));
			const waits: number[] = [];
			const run = withRetries(call, { policy, onRetry: (_, ms) => waits.push(ms) });
			await vi.runAllTimersAsync();
			const { answer: last, retries } = await run;
			expect(call).toHaveBeenCalledTimes(4);
			expect(retries).toBe(3);
			expect(waits).toEqual([2000, 2000, 2000]);
			expect(last.error?.status).toBe(429);
		} finally {
			vi.useRealTimers();
		}
	});

	it('stops at the first answer that is not retryable', async () => {
		const replies = [answer(503), answer(502), answer()];
		const call = vi.fn(async () => replies.shift() as Answer);
		const { answer: last, retries } = await withRetries(call, {
			policy,
			sleep: async () => {}
		});
		expect(retries).toBe(2);
		expect(last.status).toBe('done');
		const notFound = vi.fn(async () => answer(404));
		expect((await withRetries(notFound, { policy, sleep: async () => {} })).retries).toBe(0);
		expect(notFound).toHaveBeenCalledTimes(1);
	});

	it('sends nothing more once stopped during a wait', async () => {
		const controller = new AbortController();
		const call = vi.fn(async () => answer(500));
		await withRetries(call, {
			policy,
			signal: controller.signal,
			sleep: async () => controller.abort()
		});
		expect(call).toHaveBeenCalledTimes(1);
	});
});
