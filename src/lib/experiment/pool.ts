/** Runs jobs with a bounded number in flight, and retries what a busy server refused. */
import type { Answer } from '../wire/types.ts';

/**
 * `work` is called for every job, never more than `concurrency` at once; once `signal` aborts,
 * no job starts (those running see the signal and end on their own).
 */
export async function runPool<T>(
	jobs: readonly T[],
	concurrency: number,
	work: (job: T) => Promise<void>,
	signal?: AbortSignal
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < jobs.length && !signal?.aborted) {
			const job = jobs[next++] as T;
			await work(job);
		}
	};
	const n = Math.max(1, Math.min(Math.floor(concurrency) || 1, jobs.length));
	await Promise.all(Array.from({ length: n }, worker));
}

export interface RetryPolicy {
	/** Retries after the first attempt. */
	retries: number;
	baseMs: number;
	maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseMs: 1000, maxMs: 30_000 };

/** 429 (rate limited) and 5xx (the server's trouble) may pass if asked again; 4xx will not. */
export function retryable(answer: Answer): boolean {
	const status = answer.error?.status;
	return answer.status === 'failed' && status !== undefined && (status === 429 || status >= 500);
}

/**
 * How long to wait before retry `attempt` (1-based): what `Retry-After` asks, else exponential
 * backoff with jitter, never over `maxMs`.
 */
export function retryDelay(
	attempt: number,
	retryAfterSeconds: number | undefined,
	policy: RetryPolicy = DEFAULT_RETRY,
	random: () => number = Math.random
): number {
	if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, policy.maxMs);
	const backoff = policy.baseMs * 2 ** (attempt - 1);
	return Math.min(backoff / 2 + random() * (backoff / 2), policy.maxMs);
}

export interface RetryOptions {
	policy?: RetryPolicy;
	signal?: AbortSignal;
	/** Resolves after `ms`, or early when `signal` aborts. */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	random?: () => number;
	/** Told before each wait, so the UI can show the retry. */
	onRetry?: (attempt: number, delayMs: number, answer: Answer) => void;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal?.addEventListener('abort', done, { once: true });
	});
}

/** Calls `attempt` until it is not retryable, retries run out, or `signal` aborts. */
export async function withRetries(
	attempt: () => Promise<Answer>,
	opts: RetryOptions = {}
): Promise<{ answer: Answer; retries: number }> {
	const policy = opts.policy ?? DEFAULT_RETRY;
	const sleep = opts.sleep ?? abortableSleep;
	let answer = await attempt();
	let retries = 0;
	while (retryable(answer) && retries < policy.retries && !opts.signal?.aborted) {
		retries++;
		const delay = retryDelay(retries, answer.error?.retryAfter, policy, opts.random);
		opts.onRetry?.(retries, delay, answer);
		await sleep(delay, opts.signal);
		if (opts.signal?.aborted) break;
		answer = await attempt();
	}
	return { answer, retries };
}
