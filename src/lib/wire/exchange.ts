/**
 * What every request shares, whatever it asks for (chat, images, speech, transcription): one
 * fetch with the user's Stop, the first-byte and idle limits, the size cap, no redirects followed,
 * a failure told apart (timeout, stopped, CORS, network), and the response recorded for the raw
 * view.
 */
import {
	droppedError,
	httpError,
	isRedirect,
	networkError,
	redirectError,
	sizeError,
	timeoutError,
	type TimeoutLimit
} from './errors.ts';
import { probe } from './probe.ts';
import type { RawEvent, RawResponse, WireError } from './types.ts';

export interface ExchangeOptions {
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
	onRaw?: (raw: RawResponse) => void;
}

/** How a request ended early: stopped (by the user, or at the size cap) or failed. */
export interface Interruption {
	status: 'stopped' | 'failed';
	error?: WireError;
}

/** The raw view keeps this many events from the start of a stream, and as many from its end. */
export const RAW_KEEP = 200;
/** The longest delay a timer takes (2^31 − 1 ms); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** How much of a body the message about an unexpected one quotes from. */
const HEAD_BYTES = 1024;

export type Exchange = ReturnType<typeof openExchange>;

/**
 * Starts the clock and the limits of one request to `url`; `maxBytes` is the cap when the options
 * name none. Call `close` when done (in a `finally`): it stops the timers and reports the raw
 * response a last time.
 */
export function openExchange(url: string, opts: ExchangeOptions, maxBytes: number) {
	const now = opts.now ?? (() => performance.now());
	const startedAt = now();
	const raw: RawResponse = { headers: {}, events: [] };
	const cap = opts.maxBytes ?? maxBytes;
	let bytes = 0;
	let tooBig = false;
	/** The start of the body, to say what came back when it was no answer. */
	let head = '';
	let firstByteAt: number | undefined;
	const headDecoder = new TextDecoder();
	const controller = new AbortController();
	const onUserAbort = () => controller.abort();
	opts.signal?.addEventListener('abort', onUserAbort);
	if (opts.signal?.aborted) controller.abort();
	const idleMs = Math.max(0, opts.timeoutMs ?? 0);
	const watchdog = createWatchdog(() => controller.abort());
	watchdog.arm('firstByte', Math.max(0, opts.firstByteTimeoutMs ?? idleMs));
	const pageOrigin =
		opts.pageOrigin ?? (typeof location === 'undefined' ? undefined : location.origin);
	const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);

	const exchange = {
		now,
		startedAt,
		raw,
		/** Aborts on Stop, on a time limit and at the size cap. */
		signal: controller.signal,
		/** The first bytes of the body, as text. */
		head: () => head,
		/** When the first byte of the body arrived. */
		firstByteAt: () => firstByteAt,
		/** Every chunk of body bytes goes through here: idle limit, size cap, head. */
		onBytes(chunk: Uint8Array) {
			watchdog.kick();
			firstByteAt ??= now();
			if (bytes < HEAD_BYTES)
				head += headDecoder.decode(chunk.subarray(0, HEAD_BYTES - bytes), { stream: true });
			bytes += chunk.byteLength;
			if (bytes > cap && !tooBig) {
				tooBig = true;
				controller.abort();
			}
		},
		/** Records one event for the raw view. */
		record: (event: RawEvent) => keepRaw(raw, event),
		/** Why the request ended early: `started` once the response began. */
		async interrupted(err: unknown, started: boolean): Promise<Interruption> {
			if (watchdog.fired)
				return { status: 'failed', error: timeoutError(watchdog.fired.limit, watchdog.fired.ms) };
			if (tooBig) return { status: 'stopped', error: sizeError(cap) };
			if (controller.signal.aborted) return { status: 'stopped' };
			if (started) return { status: 'failed', error: droppedError(err) };
			const reachable = await probe(url, doFetch);
			return { status: 'failed', error: networkError(err, url, pageOrigin, reachable) };
		},
		/**
		 * POSTs `body` and waits for the response headers. A redirect is not followed (the key and
		 * the body must not go wherever it points): it ends the request, as does a failed fetch.
		 */
		async send(
			headers: Record<string, string>,
			body: BodyInit
		): Promise<{ response: Response } | Interruption> {
			let response: Response;
			try {
				response = await doFetch(url, {
					method: 'POST',
					headers,
					body,
					signal: controller.signal,
					redirect: 'manual'
				});
			} catch (err) {
				return exchange.interrupted(err, false);
			}
			watchdog.arm('idle', idleMs);
			raw.status = response.status;
			response.headers.forEach((v, k) => (raw.headers[k] = v));
			opts.onRaw?.({ ...raw, events: [...raw.events] });
			if (isRedirect(response)) {
				await response.body?.cancel().catch(() => undefined);
				return {
					status: 'failed',
					error: redirectError(url, response.status, response.headers.get('location'))
				};
			}
			return { response };
		},
		/**
		 * The whole body as text, recorded for the raw view (as `shown` makes it, e.g. with base64
		 * summarised); a broken connection ends early.
		 */
		async readText(
			response: Response,
			shown: (text: string) => string = (text) => text
		): Promise<{ text: string } | Interruption> {
			try {
				const text = await bodyText(response, exchange.onBytes, controller.signal);
				exchange.record({ at: now() - startedAt, data: shown(text) });
				return { text };
			} catch (err) {
				return exchange.interrupted(err, true);
			}
		},
		/** A non-2xx response: its body read, and the error it makes. */
		async httpFailure(response: Response): Promise<Interruption> {
			const read = await exchange.readText(response);
			if (!('text' in read)) return read;
			return {
				status: 'failed',
				error: httpError(response.status, response.statusText, read.text, response.headers)
			};
		},
		close() {
			watchdog.stop();
			opts.signal?.removeEventListener('abort', onUserAbort);
			opts.onRaw?.(raw);
		}
	};
	return exchange;
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
 * A body chunk by chunk, so every chunk counts against the idle limit and the size cap, and an
 * abort ends it at once.
 */
export async function readChunks(
	body: ReadableStream<Uint8Array>,
	onBytes: (bytes: Uint8Array) => void,
	signal: AbortSignal,
	onChunk: (bytes: Uint8Array) => void
): Promise<void> {
	const reader = body.getReader();
	try {
		for (;;) {
			signal.throwIfAborted();
			const read = await reader.read();
			if (read.done) return;
			onBytes(read.value);
			onChunk(read.value);
		}
	} finally {
		reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}

/** A body as text, read by `readChunks`. */
async function bodyText(
	response: Response,
	onBytes: (bytes: Uint8Array) => void,
	signal: AbortSignal
): Promise<string> {
	if (!response.body) return response.text();
	const decoder = new TextDecoder();
	let text = '';
	await readChunks(response.body, onBytes, signal, (chunk) => {
		text += decoder.decode(chunk, { stream: true });
	});
	return text + decoder.decode();
}

export function errorText(err: unknown): string {
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
