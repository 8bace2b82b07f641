import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChat } from '../../../src/lib/wire/chat.ts';
import { readSse } from '../../../src/lib/wire/stream.ts';
import { reasoningText } from '../../../src/lib/wire/accumulate.ts';
import {
	bodyOf,
	chunkLine,
	type Chunking,
	chunkings,
	fixtureBytes,
	oneByte,
	oneChunk,
	prepared,
	sseFetch,
	utf8
} from './helpers.ts';

async function events(bytes: Uint8Array, chunking: Chunking = oneChunk) {
	const out: Array<{ data: string; event?: string }> = [];
	for await (const e of readSse(bodyOf(bytes, chunking), () => 0))
		out.push(e.event ? { data: e.data, event: e.event } : { data: e.data });
	return out;
}

describe('readSse', () => {
	for (const [label, chunking] of chunkings) {
		describe(label, () => {
			it('yields one event per data line of the CRLF fixture and stops at [DONE]', async () => {
				const bytes = fixtureBytes('crlf.sse');
				expect(new TextDecoder().decode(bytes)).toContain('\r\n');
				const got = await events(bytes, chunking);
				expect(got).toHaveLength(4);
				for (const e of got) {
					expect(e.data.endsWith('\r')).toBe(false);
					expect(() => JSON.parse(e.data) as unknown).not.toThrow();
				}
			});

			it('reads `data:` without a space exactly like `data: `', async () => {
				const a = await events(fixtureBytes('data-no-space.sse'), chunking);
				const b = await events(fixtureBytes('crlf.sse'), chunking);
				expect(a).toEqual(b);
			});

			it('never yields comments or keep-alives', async () => {
				const got = await events(fixtureBytes('comments-keepalive.sse'), chunking);
				expect(got).toHaveLength(4);
				expect(got.every((e) => e.data.startsWith('{'))).toBe(true);
			});

			it('keeps a multi-byte UTF-8 character intact across chunk boundaries', async () => {
				const text = '你好🎉 ünïcödé';
				const got = await events(utf8(`data: ${text}\n\ndata: ${text}\n\n`), chunking);
				expect(got.map((e) => e.data)).toEqual([text, text]);
			});

			// Found by this suite: eventsource-parser's reset({ consume: true }) drops the pending
			// event, so readSse ends the stream with a blank line of its own.
			it('yields the last event even without its blank line', async () => {
				const got = await events(utf8('data: a\n\ndata: b\n'), chunking);
				expect(got.map((e) => e.data)).toEqual(['a', 'b']);
			});

			it('yields the last event even without any line ending', async () => {
				const got = await events(utf8('data: a\n\ndata: b'), chunking);
				expect(got.map((e) => e.data)).toEqual(['a', 'b']);
			});

			it('reports the event name of `event: error`', async () => {
				const got = await events(utf8('event: error\ndata: {"message":"boom"}\n\n'), chunking);
				expect(got).toEqual([{ data: '{"message":"boom"}', event: 'error' }]);
			});
		});
	}

	it('splits every UTF-8 byte of 你好🎉 into its own chunk and still decodes it', async () => {
		const bytes = utf8('data: 你好🎉\n\n');
		// '你' is 3 bytes, '🎉' is 4: one byte per chunk splits every character.
		expect(bytes.length).toBeGreaterThan('data: 你好🎉\n\n'.length);
		const got = await events(bytes, oneByte);
		expect(got.map((e) => e.data)).toEqual(['你好🎉']);
	});

	it('cancels the body when the consumer stops at [DONE]', async () => {
		let cancelled = false;
		const body = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(utf8('data: x\n\ndata: [DONE]\n\n'));
			},
			cancel() {
				cancelled = true;
			}
		});
		const got: string[] = [];
		for await (const e of readSse(body, () => 0)) got.push(e.data);
		expect(got).toEqual(['x']);
		expect(cancelled).toBe(true);
	});
});

describe('runChat over the SSE fixtures', () => {
	for (const [label, chunking] of chunkings) {
		describe(label, () => {
			it('CRLF: done with the whole text and finish reason', async () => {
				const { answer, raw } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('crlf.sse'), chunking)
				});
				expect(answer.status).toBe('done');
				expect(answer.choices).toHaveLength(1);
				expect(answer.choices[0]?.content).toBe('Hello, world!');
				expect(answer.choices[0]?.finishReason).toBe('stop');
				expect(raw.status).toBe(200);
				expect(raw.events).toHaveLength(4);
			});

			it('data: without a space', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('data-no-space.sse'), chunking)
				});
				expect(answer.status).toBe('done');
				expect(answer.choices[0]?.content).toBe('Hello, world!');
			});

			it('comments and keep-alives are ignored', async () => {
				const { answer, raw } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('comments-keepalive.sse'), chunking)
				});
				expect(answer.status).toBe('done');
				expect(answer.choices[0]?.content).toBe('Hello, world!');
				expect(raw.events.some((e) => e.data.includes('ping'))).toBe(false);
			});

			it('usage-only last chunk with empty choices lands in answer.usage', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('usage-empty-choices.sse'), chunking)
				});
				expect(answer.status).toBe('done');
				expect(answer.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
				expect(answer.choices.map((c) => c.content)).toEqual(['Hi']);
			});

			it('a stream ending without [DONE] is done', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('no-done.sse'), chunking)
				});
				expect(answer.status).toBe('done');
				expect(answer.error).toBeUndefined();
				expect(answer.choices[0]?.content).toBe('Hello, world!');
			});

			it('an error object inside the stream fails it, keeping the partial text', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('error-in-stream.sse'), chunking)
				});
				expect(answer.status).toBe('failed');
				expect(answer.error?.kind).toBe('stream');
				expect(answer.error?.detail).toContain('overloaded');
				expect(answer.error?.hint?.key).toBe('error.hint.partial');
				expect(answer.choices[0]?.content).toBe('Partial');
			});

			it('tool calls: id/name from the first fragment, arguments joined, two in parallel', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('tool-calls.sse'), chunking)
				});
				expect(answer.status).toBe('done');
				const calls = answer.choices[0]?.toolCalls ?? [];
				expect(calls).toHaveLength(2);
				expect(calls[0]).toEqual({
					id: 'call_a',
					type: 'function',
					function: { name: 'get_weather', arguments: '{"city":"Paris"}' }
				});
				expect(calls[1]).toEqual({
					id: 'call_b',
					type: 'function',
					function: { name: 'get_time', arguments: '{"tz":"UTC"}' }
				});
				for (const c of calls)
					expect(() => JSON.parse(c.function.arguments) as unknown).not.toThrow();
			});

			it('reasoning_content and reasoning both go to choice.reasoning', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('reasoning.sse'), chunking)
				});
				expect(answer.choices[0]?.reasoning).toBe('First think. Then more.');
				expect(answer.choices[0]?.content).toBe('Answer.');
			});

			it('a malformed event is skipped with a note in the raw view, and the rest is read', async () => {
				const bytes = new Uint8Array(
					readFileSync(new URL('./fixtures/malformed-event.sse', import.meta.url))
				);
				const { answer, raw } = await runChat(prepared(), { fetch: sseFetch(bytes, chunking) });
				expect(answer.status).toBe('done');
				expect(answer.error).toBeUndefined();
				expect(answer.choices[0]?.content).toBe('Hello world!');
				expect(answer.choices[0]?.finishReason).toBe('stop');
				// Every event as received, the two bad ones marked with a note saying they were skipped.
				expect(raw.events).toHaveLength(5);
				const noted = raw.events.filter((e) => e.note);
				expect(noted.map((e) => e.data)).toEqual([
					'{"id":"c1","choices":[{"index":0,"delta":{"content":", lost"},"finish_reason":nu',
					'not json at all'
				]);
				for (const e of noted) expect(e.note?.key).toBe('raw.skipped');
			});

			it('n=2 keeps the choices apart', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('n2.sse'), chunking)
				});
				expect(answer.choices.map((c) => [c.index, c.content])).toEqual([
					[0, 'A one'],
					[1, 'B two']
				]);
				// No reasoning in any choice: no (empty) Reasoning part.
				expect(reasoningText(answer.choices)).toBe('');
			});

			it('`event: error` fails the stream, keeping the partial text', async () => {
				const text = `${chunkLine({ content: 'Half' })}event: error\ndata: {"error":{"message":"upstream died"}}\n\n`;
				const { answer } = await runChat(prepared(), { fetch: sseFetch(utf8(text), chunking) });
				expect(answer.status).toBe('failed');
				expect(answer.error?.kind).toBe('stream');
				expect(answer.error?.message.vars?.said).toBe('upstream died');
				expect(answer.choices[0]?.content).toBe('Half');
			});

			it('a split multi-byte character arrives intact in the content', async () => {
				const text = `${chunkLine({ content: '你好' })}${chunkLine({ content: '🎉' })}data: [DONE]\n\n`;
				const { answer } = await runChat(prepared(), { fetch: sseFetch(utf8(text), chunking) });
				expect(answer.choices[0]?.content).toBe('你好🎉');
			});
		});
	}

	it('a tool call fragment without index after the first is joined by its index', async () => {
		const text =
			chunkLine({
				tool_calls: [
					{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '{' } }
				]
			}) +
			chunkLine({ tool_calls: [{ index: 0, id: '', function: { arguments: '}' } }] }) +
			'data: [DONE]\n\n';
		const { answer } = await runChat(prepared(), { fetch: sseFetch(utf8(text)) });
		expect(answer.choices[0]?.toolCalls).toEqual([
			{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }
		]);
	});

	// The same case at the end of a real answer: the usage chunk must survive.
	it('keeps a final usage chunk that has no blank line after it', async () => {
		const text = `${chunkLine({ content: 'Hi' })}data: {"choices":[],"usage":{"total_tokens":5}}\n`;
		const { answer } = await runChat(prepared(), { fetch: sseFetch(utf8(text)) });
		expect(answer.usage).toEqual({ total_tokens: 5 });
	});

	it('reports updates while streaming and timing marks when done', async () => {
		const updates: string[] = [];
		let t = 0;
		const { answer } = await runChat(prepared(), {
			fetch: sseFetch(fixtureBytes('crlf.sse'), oneByte),
			now: () => ++t,
			onUpdate: (a) => updates.push(a.choices[0]?.content ?? '')
		});
		expect(updates.at(-1)).toBe('Hello, world!');
		expect(updates.length).toBeGreaterThanOrEqual(3);
		expect(answer.timing.firstTokenAt).toBeGreaterThan(answer.timing.startedAt);
		expect(answer.timing.endedAt).toBeGreaterThanOrEqual(answer.timing.firstTokenAt ?? Infinity);
	});
});

describe('reasoningText: what the Reasoning part shows', () => {
	const choice = (index: number, reasoning: string) => ({
		index,
		content: 'x',
		reasoning,
		toolCalls: []
	});

	it('is empty for n > 1 choices without reasoning (no empty Reasoning part)', () => {
		expect(reasoningText([choice(0, ''), choice(1, ''), choice(2, '')])).toBe('');
		expect(reasoningText([choice(0, '\n'), choice(1, ' ')])).toBe('');
	});

	it('joins only the choices that reasoned', () => {
		expect(reasoningText([choice(0, ''), choice(1, 'Think B.'), choice(2, 'Think C.')])).toBe(
			'Think B.\n\nThink C.'
		);
		expect(reasoningText([choice(0, 'Only one.')])).toBe('Only one.');
	});
});
