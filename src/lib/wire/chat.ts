/** One request from start to settled answer: fetch, stream or JSON, errors, abort, timeout. */
import { asChunk, asResponse, createAccumulator } from './accumulate.ts';
import {
	droppedError,
	httpError,
	networkError,
	parseError,
	streamError,
	timeoutError,
	type TimeoutLimit
} from './errors.ts';
import { readSse } from './stream.ts';
import type {
	Answer,
	ChatChunk,
	PreparedRequest,
	RawEvent,
	RawResponse,
	WireError
} from './types.ts';

export interface RunOptions {
	fetch?: typeof fetch;
	/** The user's Stop: ends as `stopped`, keeping what arrived. */
	signal?: AbortSignal;
	/**
	 * Idle limit: the longest wait for the next byte of the body (keep-alives count), so a long
	 * answer that keeps streaming is never cut off. 0 or absent: none. Ends as `failed` with a
	 * timeout error saying which limit ran out; what arrived is kept.
	 */
	timeoutMs?: number;
	/**
	 * Limit to the first byte (the response headers). Absent: `timeoutMs`, so one setting bounds
	 * every wait. 0: none.
	 */
	firstByteTimeoutMs?: number;
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
	const onUserAbort = () => controller.abort();
	opts.signal?.addEventListener('abort', onUserAbort);
	if (opts.signal?.aborted) controller.abort();
	const idleMs = Math.max(0, opts.timeoutMs ?? 0);
	const watchdog = createWatchdog(() => controller.abort());
	watchdog.arm('firstByte', Math.max(0, opts.firstByteTimeoutMs ?? idleMs));
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
		if (watchdog.fired)
			return settle('failed', timeoutError(watchdog.fired.limit, watchdog.fired.ms));
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
		watchdog.arm('idle', idleMs);
		raw.status = response.status;
		response.headers.forEach((v, k) => (raw.headers[k] = v));
		opts.onRaw?.({ ...raw, events: [...raw.events] });

		/** The whole body as text, recorded for the raw view; a broken connection settles. */
		const readBody = async (): Promise<
			{ text: string } | { settled: Awaited<ReturnType<typeof settle>> }
		> => {
			try {
				const text = await bodyText(response, watchdog.kick);
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
			if (typeof body === 'object' && body !== null && 'error' in body && body.error)
				return settle('failed', streamError(text));
			const parsed = asResponse(body);
			if (!parsed) return settle('failed', parseError(text));
			acc.setResponse(parsed, now());
			return settle('done');
		}

		// A malformed event (not JSON) is skipped with a note in the raw view, and reading goes on:
		// one bad line must not discard the rest of the answer. Only a stream with no valid event
		// at all is a parse error (it is not the SSE of a chat completion).
		let firstSkipped: string | undefined;
		let valid = false;
		try {
			for await (const event of readSse(response.body, now, watchdog.kick)) {
				const record: RawEvent = {
					at: event.at - startedAt,
					data: event.event ? `event: ${event.event}\n${event.data}` : event.data
				};
				raw.events.push(record);
				if (event.event === 'error') return settle('failed', streamError(event.data));
				let chunk: ChatChunk | undefined;
				try {
					// `null`, a number, a string, a field of the wrong type: valid JSON, but no chunk.
					chunk = asChunk(JSON.parse(event.data));
				} catch {
					// Not JSON: handled below, like any event that is not a chunk.
				}
				if (!chunk) {
					record.note = { key: 'raw.skipped' };
					firstSkipped ??= event.data;
					continue;
				}
				valid = true;
				if (chunk.error) return settle('failed', streamError(event.data));
				acc.push(chunk, event.at);
				opts.onUpdate?.(acc.snapshot());
			}
		} catch (err) {
			return await interrupted(err, true);
		}
		if (!valid && firstSkipped !== undefined) return settle('failed', parseError(firstSkipped));
		return settle('done');
	} finally {
		watchdog.stop();
		opts.signal?.removeEventListener('abort', onUserAbort);
		opts.onRaw?.(raw);
	}
}

/**
 * The time limits of one request: one timer at a time, for the current limit. `kick` (every
 * chunk of bytes) only notes the time, so a fast stream costs no timer churn; when the timer
 * fires early because bytes came since, it re-arms for the rest of the silence.
 */
function createWatchdog(onFire: () => void) {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let limit: TimeoutLimit = 'firstByte';
	let ms = 0;
	let last = 0;
	const clock = () => performance.now();
	const check = () => {
		const silent = clock() - last;
		if (silent < ms) {
			timer = setTimeout(check, ms - silent);
			return;
		}
		timer = undefined;
		dog.fired = { limit, ms };
		onFire();
	};
	const dog = {
		fired: undefined as { limit: TimeoutLimit; ms: number } | undefined,
		/** Start `limit` from now; 0 turns limits off. */
		arm(next: TimeoutLimit, nextMs: number) {
			if (timer) clearTimeout(timer);
			timer = undefined;
			limit = next;
			ms = nextMs;
			last = clock();
			if (ms > 0 && !dog.fired) timer = setTimeout(check, ms);
		},
		/** Bytes arrived. */
		kick() {
			last = clock();
		},
		stop() {
			if (timer) clearTimeout(timer);
			timer = undefined;
		}
	};
	return dog;
}

/** A body as text, reading it chunk by chunk so every chunk counts against the idle limit. */
async function bodyText(response: Response, onBytes: () => void): Promise<string> {
	if (!response.body) return response.text();
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let text = '';
	try {
		for (;;) {
			const read = await reader.read();
			if (read.done) return text + decoder.decode();
			onBytes();
			text += decoder.decode(read.value, { stream: true });
		}
	} finally {
		reader.releaseLock();
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
