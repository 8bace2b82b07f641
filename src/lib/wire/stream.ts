/** A response body of Server-Sent Events → its events, as they arrive. */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent {
	data: string;
	event?: string;
	/** When it arrived, from the `now` clock. */
	at: number;
}

export interface SseOptions {
	now?: () => number;
	/** Called with every chunk of bytes read, comments and keep-alives included (idle timeout). */
	onBytes?: (bytes: Uint8Array) => void;
	/** Checked before every read: an abort ends the stream at once, whatever is buffered. */
	signal?: AbortSignal;
}

/** How long reading may hold the page before it hands over a turn (clicks, paints). */
const SLICE_MS = 16;

/**
 * A task boundary, not a microtask: a body that is always ready resolves its reads as
 * microtasks, which would keep a click on Stop from ever being handled.
 */
export const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Reads SSE from a byte stream: CRLF, `data:` without a space, comments and keep-alives,
 * UTF-8 split across chunks, a last event without its blank line. Stops at `[DONE]`.
 * Cost is linear in the bytes read: the parser keeps only the unfinished line.
 */
export async function* readSse(
	body: ReadableStream<Uint8Array>,
	opts: SseOptions = {}
): AsyncGenerator<SseEvent> {
	const now = opts.now ?? (() => performance.now());
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let queue: EventSourceMessage[] = [];
	const parser = createParser({ onEvent: (e) => queue.push(e) });
	let done = false;
	let sliceStart = performance.now();
	/** Before each read and each event: hand the page a turn now and then, and honour an abort. */
	const pace = async () => {
		if (performance.now() - sliceStart > SLICE_MS) {
			await yieldToPage();
			sliceStart = performance.now();
		}
		opts.signal?.throwIfAborted();
	};
	try {
		while (!done) {
			await pace();
			const read = await reader.read();
			if (read.done) {
				// A stream may end without the blank line after its last event: end it ourselves.
				// (reset({ consume: true }) parses the line but drops the pending event.)
				parser.feed(`${decoder.decode()}\n\n`);
				done = true;
			} else {
				opts.onBytes?.(read.value);
				parser.feed(decoder.decode(read.value, { stream: true }));
			}
			const at = now();
			const events = queue;
			queue = [];
			for (const e of events) {
				if (e.data.trim() === '[DONE]') return;
				await pace();
				yield e.event ? { data: e.data, event: e.event, at } : { data: e.data, at };
			}
		}
	} finally {
		// Stop the download when the consumer stops early ([DONE], abort, error).
		reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}
