/** One request from start to settled answer: fetch, stream or JSON, errors, abort, timeout. */
import { asChunk, asResponse, createAccumulator } from './accumulate.ts';
import {
	droppedError,
	httpError,
	isRedirect,
	networkError,
	parseError,
	protocolError,
	readError,
	redirectError,
	sizeError,
	streamError,
	timeoutError,
	unexpectedBody,
	type TimeoutLimit
} from './errors.ts';
import { probe } from './probe.ts';
import { readSse, type SseEvent } from './stream.ts';
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
	/** Size cap of one answer's body: past it reading stops, what arrived is kept. */
	maxBytes?: number;
	now?: () => number;
	/** The page's origin, to tell a CORS refusal from a closed port. */
	pageOrigin?: string;
	onUpdate?: (answer: Answer) => void;
	onRaw?: (raw: RawResponse) => void;
}

/** Past this an answer stops with a notice: an endless stream must not eat the tab's memory. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** The raw view keeps this many events from the start of a stream, and as many from its end. */
export const RAW_KEEP = 200;
/** The longest delay a timer takes (2^31 − 1 ms); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** How much of a body the message about an unexpected one quotes from. */
const HEAD_BYTES = 1024;

/** Never throws: every outcome is an Answer with a status, and the raw exchange. */
export async function runChat(
	req: PreparedRequest,
	opts: RunOptions = {}
): Promise<{ answer: Answer; raw: RawResponse }> {
	const now = opts.now ?? (() => performance.now());
	const startedAt = now();
	const acc = createAccumulator(startedAt);
	const raw: RawResponse = { headers: {}, events: [] };
	const record = (event: RawEvent) => keepRaw(raw, event);
	const maxBytes = opts.maxBytes ?? MAX_ANSWER_BYTES;
	let bytes = 0;
	let tooBig = false;
	/** The start of the body, to say what came back when it was no answer. */
	let head = '';
	const headDecoder = new TextDecoder();
	const onBytes = (chunk: Uint8Array) => {
		watchdog.kick();
		if (bytes < HEAD_BYTES)
			head += headDecoder.decode(chunk.subarray(0, HEAD_BYTES - bytes), { stream: true });
		bytes += chunk.byteLength;
		if (bytes > maxBytes && !tooBig) {
			tooBig = true;
			controller.abort();
		}
	};
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
		if (tooBig) return settle('stopped', sizeError(maxBytes));
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
				signal: controller.signal,
				// The key and the conversation must not follow a redirect to wherever it points.
				redirect: 'manual'
			});
		} catch (err) {
			return await interrupted(err, false);
		}
		watchdog.arm('idle', idleMs);
		raw.status = response.status;
		response.headers.forEach((v, k) => (raw.headers[k] = v));
		opts.onRaw?.({ ...raw, events: [...raw.events] });
		if (isRedirect(response)) {
			await response.body?.cancel().catch(() => undefined);
			return settle(
				'failed',
				redirectError(req.url, response.status, response.headers.get('location'))
			);
		}

		/** The whole body as text, recorded for the raw view; a broken connection settles. */
		const readBody = async (): Promise<
			{ text: string } | { settled: Awaited<ReturnType<typeof settle>> }
		> => {
			try {
				const text = await bodyText(response, onBytes, controller.signal);
				record({ at: now() - startedAt, data: text });
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
			if (!text.trim() || (/html/i.test(type) && !/json/i.test(type)))
				return settle('failed', unexpectedBody(response.status, type, text));
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
		let last: RawEvent | undefined;
		const events = readSse(response.body, { now, onBytes, signal: controller.signal });
		for (;;) {
			let next: IteratorResult<SseEvent>;
			try {
				next = await events.next();
			} catch (err) {
				return await interrupted(err, true);
			}
			if (next.done) break;
			const event = next.value;
			last = {
				at: event.at - startedAt,
				data: event.event ? `event: ${event.event}\n${event.data}` : event.data
			};
			record(last);
			if (event.event === 'error') return settle('failed', streamError(event.data));
			let chunk: ChatChunk | undefined;
			try {
				// `null`, a number, a string, a field of the wrong type: valid JSON, but no chunk.
				chunk = asChunk(JSON.parse(event.data));
			} catch {
				// Not JSON: handled below, like any event that is not a chunk.
			}
			if (!chunk) {
				last.note = { key: 'raw.skipped' };
				firstSkipped ??= event.data;
				continue;
			}
			valid = true;
			if (chunk.error) return settle('failed', streamError(event.data));
			try {
				acc.push(chunk, event.at);
				opts.onUpdate?.(acc.snapshot());
			} catch (err) {
				// Not the connection: this event could not be used. Say which, keep what came before.
				await events.return(undefined);
				return settle('failed', protocolError(errorText(err), event.data));
			}
		}
		if (!valid && firstSkipped !== undefined) return settle('failed', parseError(firstSkipped));
		if (!last) return settle('failed', unexpectedBody(response.status, type, head));
		const done = settle('done');
		// Some servers never send a finish_reason: not a failure, but the text may be cut off.
		if (done.answer.choices.length === 0 || done.answer.choices.some((c) => !c.finishReason)) {
			done.answer.cutOff = true;
			last.note ??= { key: 'raw.cutOff' };
		}
		return done;
	} catch (err) {
		// A bug of ours must not leave the answer streaming for good: it fails, keeping the text.
		return settle('failed', readError(errorText(err)));
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
			timer = setTimeout(check, Math.min(ms - silent, MAX_TIMER_MS));
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
			// A limit past what a timer holds waits in steps: `check` re-arms for the rest.
			if (ms > 0 && !dog.fired) timer = setTimeout(check, Math.min(ms, MAX_TIMER_MS));
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

/**
 * A body as text, reading it chunk by chunk so every chunk counts against the idle limit and
 * the size cap, and an abort ends it at once.
 */
async function bodyText(
	response: Response,
	onBytes: (bytes: Uint8Array) => void,
	signal: AbortSignal
): Promise<string> {
	if (!response.body) return response.text();
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let text = '';
	try {
		for (;;) {
			signal.throwIfAborted();
			const read = await reader.read();
			if (read.done) return text + decoder.decode();
			onBytes(read.value);
			text += decoder.decode(read.value, { stream: true });
		}
	} finally {
		reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}

function errorText(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

/**
 * Records one event for the raw view, keeping the first and last RAW_KEEP of a long stream:
 * an endless one must not grow the log (and the stored row) without end.
 */
function keepRaw(raw: RawResponse, event: RawEvent): void {
	if (raw.events.length >= 2 * RAW_KEEP) {
		raw.events.splice(RAW_KEEP, 1);
		raw.omitted = { at: RAW_KEEP, count: (raw.omitted?.count ?? 0) + 1 };
	}
	raw.events.push(event);
}
