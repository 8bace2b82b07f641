/** A response body of Server-Sent Events → its events, as they arrive. */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent {
	data: string;
	event?: string;
	/** When it arrived, from the `now` clock. */
	at: number;
}

/**
 * Reads SSE from a byte stream: CRLF, `data:` without a space, comments and keep-alives,
 * UTF-8 split across chunks, a last event without its blank line. Stops at `[DONE]`.
 * Cost is linear in the bytes read: the parser keeps only the unfinished line.
 */
export async function* readSse(
	body: ReadableStream<Uint8Array>,
	now: () => number = () => performance.now(),
	/** Called for every chunk of bytes read, comments and keep-alives included (idle timeout). */
	onBytes?: () => void
): AsyncGenerator<SseEvent> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let queue: EventSourceMessage[] = [];
	const parser = createParser({ onEvent: (e) => queue.push(e) });
	let done = false;
	try {
		while (!done) {
			const read = await reader.read();
			if (read.done) {
				// A stream may end without the blank line after its last event: end it ourselves.
				// (reset({ consume: true }) parses the line but drops the pending event.)
				parser.feed(`${decoder.decode()}\n\n`);
				done = true;
			} else {
				onBytes?.();
				parser.feed(decoder.decode(read.value, { stream: true }));
			}
			const at = now();
			const events = queue;
			queue = [];
			for (const e of events) {
				if (e.data.trim() === '[DONE]') return;
				yield e.event ? { data: e.data, event: e.event, at } : { data: e.data, at };
			}
		}
	} finally {
		// Stop the download when the consumer stops early ([DONE], abort, error).
		reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}
