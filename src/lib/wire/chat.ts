/** One request from start to settled answer: fetch, stream or JSON, errors, abort, timeout. */
import { asChunk, asResponse, createAccumulator } from './accumulate.ts';
import { parseError, protocolError, readError, streamError, unexpectedBody } from './errors.ts';
import { errorText, openExchange, type ExchangeOptions, type Interruption } from './exchange.ts';
import { readSse, type SseEvent } from './stream.ts';
import type {
	Answer,
	ChatChunk,
	PreparedRequest,
	RawEvent,
	RawResponse,
	WireError
} from './types.ts';

export { RAW_KEEP } from './exchange.ts';

export interface RunOptions extends ExchangeOptions {
	onUpdate?: (answer: Answer) => void;
}

/** Past this an answer stops with a notice: an endless stream must not eat the tab's memory. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** Never throws: every outcome is an Answer with a status, and the raw exchange. */
export async function runChat(
	req: PreparedRequest,
	opts: RunOptions = {}
): Promise<{ answer: Answer; raw: RawResponse }> {
	const ex = openExchange(req.url, opts, MAX_ANSWER_BYTES);
	const { now, raw } = ex;
	const acc = createAccumulator(ex.startedAt);
	const settle = (status: Answer['status'], error?: WireError) => {
		const answer = acc.snapshot();
		answer.status = status;
		answer.timing.endedAt = now();
		if (error) answer.error = error;
		return { answer, raw };
	};
	const ended = (end: Interruption) => settle(end.status, end.error);

	try {
		const sent = await ex.send(req.headers, JSON.stringify(req.body));
		if (!('response' in sent)) return ended(sent);
		const { response } = sent;
		if (!response.ok) return ended(await ex.httpFailure(response));

		const type = response.headers.get('content-type') ?? '';
		const streamed = req.body.stream === true && !/application\/json/i.test(type);
		if (!streamed || !response.body) {
			const read = await ex.readText(response);
			if (!('text' in read)) return ended(read);
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
		const events = readSse(response.body, { now, onBytes: ex.onBytes, signal: ex.signal });
		for (;;) {
			let next: IteratorResult<SseEvent>;
			try {
				next = await events.next();
			} catch (err) {
				return ended(await ex.interrupted(err, true));
			}
			if (next.done) break;
			const event = next.value;
			last = {
				at: event.at - ex.startedAt,
				data: event.event ? `event: ${event.event}\n${event.data}` : event.data
			};
			ex.record(last);
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
		if (!last) return settle('failed', unexpectedBody(response.status, type, ex.head()));
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
		ex.close();
	}
}
