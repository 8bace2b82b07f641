/** One request from start to settled answer: fetch, stream or JSON, errors, abort, timeout. */
import { createAccumulator } from './accumulate.ts';
import {
	droppedError,
	httpError,
	networkError,
	parseError,
	streamError,
	timeoutError
} from './errors.ts';
import { readSse } from './stream.ts';
import type {
	Answer,
	ChatChunk,
	ChatResponse,
	PreparedRequest,
	RawResponse,
	WireError
} from './types.ts';

export interface RunOptions {
	fetch?: typeof fetch;
	/** The user's Stop: ends as `stopped`, keeping what arrived. */
	signal?: AbortSignal;
	/** 0 or absent: no timeout. Ends as `failed` with a timeout error. */
	timeoutMs?: number;
	now?: () => number;
	/** The page's origin, to tell a CORS refusal from a closed port. */
	pageOrigin?: string;
	onUpdate?: (answer: Answer) => void;
	onRaw?: (raw: RawResponse) => void;
}

/** Never throws: every outcome is an Answer with a status, and the raw exchange. */
export async function runChat(
	req: PreparedRequest,
	opts: RunOptions = {}
): Promise<{ answer: Answer; raw: RawResponse }> {
	const now = opts.now ?? (() => performance.now());
	const startedAt = now();
	const acc = createAccumulator(startedAt);
	const raw: RawResponse = { headers: {}, events: [] };
	const controller = new AbortController();
	let timedOut = false;
	const onUserAbort = () => controller.abort();
	opts.signal?.addEventListener('abort', onUserAbort);
	if (opts.signal?.aborted) controller.abort();
	const timer =
		opts.timeoutMs && opts.timeoutMs > 0
			? setTimeout(() => {
					timedOut = true;
					controller.abort();
				}, opts.timeoutMs)
			: undefined;
	const pageOrigin =
		opts.pageOrigin ?? (typeof location === 'undefined' ? undefined : location.origin);
	const settle = (status: Answer['status'], error?: WireError) => {
		const answer = acc.snapshot();
		answer.status = status;
		answer.timing.endedAt = now();
		if (error) answer.error = error;
		return { answer, raw };
	};
	const interrupted = async (err: unknown, started: boolean) => {
		if (timedOut) return settle('failed', timeoutError(opts.timeoutMs ?? 0));
		if (controller.signal.aborted) return settle('stopped');
		if (started) return settle('failed', droppedError(err));
		const reachable = await probe(req.url, opts.fetch ?? globalThis.fetch.bind(globalThis));
		return settle('failed', networkError(err, req.url, pageOrigin, reachable));
	};

	try {
		const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
		let response: Response;
		try {
			response = await doFetch(req.url, {
				method: 'POST',
				headers: req.headers,
				body: JSON.stringify(req.body),
				signal: controller.signal
			});
		} catch (err) {
			return await interrupted(err, false);
		}
		raw.status = response.status;
		response.headers.forEach((v, k) => (raw.headers[k] = v));
		opts.onRaw?.({ ...raw, events: [...raw.events] });

		/** The whole body as text, recorded for the raw view; a broken connection settles. */
		const readBody = async (): Promise<
			{ text: string } | { settled: Awaited<ReturnType<typeof settle>> }
		> => {
			try {
				const text = await response.text();
				raw.events.push({ at: now() - startedAt, data: text });
				return { text };
			} catch (err) {
				return { settled: await interrupted(err, true) };
			}
		};

		if (!response.ok) {
			const read = await readBody();
			if ('settled' in read) return read.settled;
			const { text } = read;
			return settle(
				'failed',
				httpError(response.status, response.statusText, text, response.headers)
			);
		}

		const type = response.headers.get('content-type') ?? '';
		const streamed = req.body.stream === true && !/application\/json/i.test(type);
		if (!streamed || !response.body) {
			const read = await readBody();
			if ('settled' in read) return read.settled;
			const { text } = read;
			let body: unknown;
			try {
				body = JSON.parse(text);
			} catch {
				return settle('failed', parseError(text));
			}
			const inner = (body as { error?: unknown }).error;
			if (inner) return settle('failed', streamError(text));
			if (!Array.isArray((body as ChatResponse).choices)) return settle('failed', parseError(text));
			acc.setResponse(body as ChatResponse, now());
			return settle('done');
		}

		try {
			for await (const event of readSse(response.body, now)) {
				raw.events.push({
					at: event.at - startedAt,
					data: event.event ? `event: ${event.event}\n${event.data}` : event.data
				});
				if (event.event === 'error') return settle('failed', streamError(event.data));
				let chunk: ChatChunk;
				try {
					chunk = JSON.parse(event.data) as ChatChunk;
				} catch {
					return settle('failed', parseError(event.data));
				}
				if (chunk.error) return settle('failed', streamError(event.data));
				acc.push(chunk, event.at);
				opts.onUpdate?.(acc.snapshot());
			}
		} catch (err) {
			return await interrupted(err, true);
		}
		return settle('done');
	} finally {
		if (timer) clearTimeout(timer);
		opts.signal?.removeEventListener('abort', onUserAbort);
		opts.onRaw?.(raw);
	}
}

/**
 * After a failed fetch the browser hides why. An opaque no-cors GET tells the two usual causes
 * apart: it resolves when the server answers (so CORS refused us) and rejects when nothing
 * listens (closed port, wrong host, offline). It carries no key and no body.
 */
async function probe(url: string, doFetch: typeof fetch): Promise<boolean | undefined> {
	if (typeof window === 'undefined') return undefined;
	try {
		await doFetch(url, { mode: 'no-cors', method: 'GET', signal: AbortSignal.timeout(3000) });
		return true;
	} catch {
		return false;
	}
}
