import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChat } from '../../../src/lib/wire/chat.ts';
import { reasoningText } from '../../../src/lib/wire/accumulate.ts';
import {
	chunkLine,
	chunkings,
	fixtureBytes,
	oneByte,
	prepared,
	sseFetch,
	utf8
} from './helpers.ts';

describe('runChat over SSE', () => {
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
				expect(answer.error?.message.vars?.said).toContain('overloaded');
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
				expect(answer.choices[0]?.finishReason).toBe('tool_calls');
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
				// The message may also stand at the top level of the event's data.
				const bare = `${chunkLine({ content: 'Hi' })}event: error\ndata: {"message":"boom"}\n\n`;
				const b = await runChat(prepared(), { fetch: sseFetch(utf8(bare), chunking) });
				expect(b.answer.status).toBe('failed');
				expect(b.answer.error?.message.vars?.said).toBe('boom');
				expect(b.answer.choices[0]?.content).toBe('Hi');
			});

			it('the UTF-8 fixture arrives intact, whatever splits its characters', async () => {
				const { answer } = await runChat(prepared(), {
					fetch: sseFetch(fixtureBytes('utf8-split.sse'), chunking)
				});
				expect(answer.choices[0]?.content).toBe('你好，世界 🎉 ünïcödé');
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

describe('runChat: fetch rejects', () => {
	const reject: typeof fetch = async () => {
		throw new TypeError('Failed to fetch');
	};

	it('cross-origin → cors', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: reject,
			pageOrigin: 'https://app.example'
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('cors');
		expect(answer.error?.message.vars?.origin).toBe('https://gw.example');
		expect(answer.error?.detail).toBe('TypeError: Failed to fetch');
	});

	it('same origin → network', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: reject,
			pageOrigin: 'https://gw.example'
		});
		expect(answer.error?.kind).toBe('network');
		expect(answer.error?.hint?.key).toBe('error.hint.network');
	});
});

/** A stream that sends `first` and then never ends (unless cancelled). */
function hangingSse(first: string): typeof fetch {
	return async (_input, init) => {
		const signal = init?.signal;
		const body = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(utf8(first));
				signal?.addEventListener('abort', () =>
					c.error(new DOMException('The operation was aborted.', 'AbortError'))
				);
			}
		});
		return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
	};
}

describe('runChat: interruptions', () => {
	it('user abort mid-stream → stopped, partial text kept', async () => {
		const user = new AbortController();
		const { answer } = await runChat(prepared(), {
			fetch: hangingSse(chunkLine({ content: 'Partial answer' })),
			signal: user.signal,
			onUpdate: (a) => {
				if (a.choices[0]?.content === 'Partial answer') user.abort();
			}
		});
		expect(answer.status).toBe('stopped');
		expect(answer.error).toBeUndefined();
		expect(answer.choices[0]?.content).toBe('Partial answer');
	});

	it('a signal already aborted → stopped without a network error', async () => {
		const user = new AbortController();
		user.abort();
		const { answer } = await runChat(prepared(), {
			fetch: async (_i, init) => {
				if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
				return new Response('{}');
			},
			signal: user.signal
		});
		expect(answer.status).toBe('stopped');
	});

	it('timeoutMs with a stream that never ends → failed, timeout, partial kept', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: hangingSse(chunkLine({ content: 'so far' })),
			timeoutMs: 50
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('timeout');
		expect(answer.choices[0]?.content).toBe('so far');
	});

	it('a body that errors mid-way (TCP drop) → failed, partial kept', async () => {
		const fetchDrop: typeof fetch = async () => {
			let sent = false;
			const body = new ReadableStream<Uint8Array>({
				pull(c) {
					if (!sent) {
						sent = true;
						c.enqueue(utf8(chunkLine({ content: 'before the drop' })));
					} else c.error(new TypeError('network error'));
				}
			});
			return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
		};
		const { answer } = await runChat(prepared(), { fetch: fetchDrop });
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('network');
		expect(answer.error?.message.key).toBe('error.dropped');
		expect(answer.error?.detail).toContain('network error');
		expect(answer.choices[0]?.content).toBe('before the drop');
	});
});

describe('runChat: non-streamed bodies', () => {
	it('reads a JSON response', async () => {
		const json = {
			id: 'c',
			model: 'gpt-x',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'Hello!', reasoning_content: 'think' },
					finish_reason: 'stop'
				}
			],
			usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }
		};
		const { answer, raw } = await runChat(prepared(false), {
			fetch: async () => Response.json(json)
		});
		expect(answer.status).toBe('done');
		expect(answer.model).toBe('gpt-x');
		expect(answer.choices[0]?.content).toBe('Hello!');
		expect(answer.choices[0]?.reasoning).toBe('think');
		expect(answer.choices[0]?.finishReason).toBe('stop');
		expect(answer.usage?.total_tokens).toBe(5);
		expect(raw.events).toHaveLength(1);
	});

	it('a streaming request answered with application/json is read as JSON', async () => {
		const { answer } = await runChat(prepared(true), {
			fetch: async () =>
				Response.json({ choices: [{ index: 0, message: { role: 'assistant', content: 'whole' } }] })
		});
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.content).toBe('whole');
	});

	it('a 200 body that is not JSON → parse error', async () => {
		const { answer } = await runChat(prepared(false), {
			fetch: async () => new Response('<html>login page</html>', { status: 200 })
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('parse');
		expect(answer.error?.detail).toBe('<html>login page</html>');
		// Labelled JSON but cut short: the error quotes how it starts.
		const cut = await runChat(prepared(false), {
			fetch: async () =>
				new Response('{"choices": [', { headers: { 'content-type': 'application/json' } })
		});
		expect(cut.answer.error?.kind).toBe('parse');
		expect(cut.answer.error?.message.vars?.start).toBe('{"choices": [');
	});

	it('a 200 JSON body without choices → parse error', async () => {
		const { answer } = await runChat(prepared(false), {
			fetch: async () => Response.json({ hello: 'world' })
		});
		expect(answer.error?.kind).toBe('parse');
	});

	it('a 200 JSON body carrying an error → failed', async () => {
		const { answer } = await runChat(prepared(false), {
			fetch: async () => Response.json({ error: { message: 'quota exceeded' } })
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.message.vars?.said).toBe('quota exceeded');
	});

	it('a data line that is not JSON inside a stream is skipped, the rest is read', async () => {
		const { answer, raw } = await runChat(prepared(true), {
			fetch: async () =>
				new Response(
					`${chunkLine({ content: 'ok' })}data: not json\n\ndata: null\n\ndata: 42\n\n${chunkLine({ content: '!' })}`,
					{
						headers: { 'content-type': 'text/event-stream' }
					}
				)
		});
		expect(answer.status).toBe('done');
		expect(answer.error).toBeUndefined();
		expect(answer.choices[0]?.content).toBe('ok!');
		expect(raw.events.filter((e) => e.note?.key === 'raw.skipped').map((e) => e.data)).toEqual([
			'not json',
			'null',
			'42'
		]);
	});

	it('an event with a field of the wrong type is skipped like a malformed one', async () => {
		const { answer, raw } = await runChat(prepared(true), {
			fetch: async () =>
				new Response(
					`${chunkLine({ content: 'ok' })}${chunkLine({ content: { text: 'x' } })}${chunkLine({ content: '!' })}`,
					{ headers: { 'content-type': 'text/event-stream' } }
				)
		});
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.content).toBe('ok!');
		expect(raw.events.filter((e) => e.note?.key === 'raw.skipped')).toHaveLength(1);
	});

	it('a 200 JSON body whose content is not text → parse error', async () => {
		const { answer } = await runChat(prepared(false), {
			fetch: async () => Response.json({ choices: [{ index: 0, message: { content: 42 } }] })
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('parse');
	});

	it('a stream with no valid event at all → parse error (not an empty answer)', async () => {
		const { answer, raw } = await runChat(prepared(true), {
			fetch: async () =>
				new Response('data: <html>gateway page</html>\n\ndata: still not json\n\n', {
					headers: { 'content-type': 'text/event-stream' }
				})
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('parse');
		expect(answer.error?.message.vars?.start).toBe('<html>gateway page</html>');
		expect(raw.events).toHaveLength(2);
	});
});

/** A body that sends `parts` one every `everyMs`, then ends; aborts end it as fetch would. */
function tricklingBody(parts: string[], everyMs: number, signal?: AbortSignal | null) {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let ended = false;
	return new ReadableStream<Uint8Array>({
		start(c) {
			let i = 0;
			const next = () => {
				if (ended) return;
				if (i === parts.length) {
					ended = true;
					return c.close();
				}
				c.enqueue(utf8(parts[i++] ?? ''));
				timer = setTimeout(next, everyMs);
			};
			timer = setTimeout(next, everyMs);
			signal?.addEventListener('abort', () => {
				clearTimeout(timer);
				if (ended) return;
				ended = true;
				c.error(new DOMException('The operation was aborted.', 'AbortError'));
			});
		},
		cancel() {
			ended = true;
			clearTimeout(timer);
		}
	});
}

/** fetch that answers after `delayMs` with a trickling SSE body; an abort before that rejects. */
const slowFetch =
	(delayMs: number, parts: string[], everyMs: number): typeof fetch =>
	(_input, init) =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(
				() =>
					resolve(
						new Response(tricklingBody(parts, everyMs, init?.signal), {
							headers: { 'content-type': 'text/event-stream' }
						})
					),
				delayMs
			);
			init?.signal?.addEventListener('abort', () => {
				clearTimeout(timer);
				reject(new DOMException('The operation was aborted.', 'AbortError'));
			});
		});

/** fetch that never answers (no headers) until aborted. */
const silentFetch: typeof fetch = (_input, init) =>
	new Promise((_resolve, reject) => {
		init?.signal?.addEventListener('abort', () =>
			reject(new DOMException('The operation was aborted.', 'AbortError'))
		);
	});

describe('runChat: timeouts (idle, and to the first byte)', () => {
	it('timeoutMs is an idle limit: a stream longer than it that keeps talking finishes', async () => {
		const parts = Array.from({ length: 8 }, (_, i) => chunkLine({ content: `${i}` }));
		const { answer } = await runChat(prepared(), {
			fetch: async (_input, init) =>
				new Response(tricklingBody([...parts, 'data: [DONE]\n\n'], 40, init?.signal), {
					headers: { 'content-type': 'text/event-stream' }
				}),
			timeoutMs: 150
		});
		expect(answer.error).toBeUndefined();
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.content).toBe('01234567');
	});

	it('keep-alive comments count as bytes: a long silent think with pings is not idle', async () => {
		const pings = Array.from({ length: 6 }, () => ': keep-alive\n\n');
		const { answer } = await runChat(prepared(), {
			fetch: async (_input, init) =>
				new Response(
					tricklingBody(
						[...pings, chunkLine({ content: 'late' }), 'data: [DONE]\n\n'],
						40,
						init?.signal
					),
					{ headers: { 'content-type': 'text/event-stream' } }
				),
			timeoutMs: 150
		});
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.content).toBe('late');
	});

	it('a non-streamed body arriving slowly but steadily is not cut by the idle limit', async () => {
		const json = JSON.stringify({
			choices: [{ index: 0, message: { role: 'assistant', content: 'whole' } }]
		});
		const parts = json.match(/.{1,12}/g) ?? [];
		expect(parts.length).toBeGreaterThan(4);
		const { answer } = await runChat(prepared(false), {
			fetch: async (_input, init) =>
				new Response(tricklingBody(parts, 40, init?.signal), {
					headers: { 'content-type': 'application/json' }
				}),
			timeoutMs: 150
		});
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.content).toBe('whole');
	});

	it('a stream silent for longer than the idle limit fails and says it was idle', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: hangingSse(chunkLine({ content: 'so far' })),
			timeoutMs: 60,
			firstByteTimeoutMs: 5000
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('timeout');
		expect(answer.error?.message).toEqual({ key: 'error.timeout.idle', vars: { seconds: 0.06 } });
		expect(answer.choices[0]?.content).toBe('so far');
	});

	it('no response within the first-byte limit fails and says it was the first byte', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: silentFetch,
			timeoutMs: 1000,
			firstByteTimeoutMs: 60
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('timeout');
		expect(answer.error?.message).toEqual({
			key: 'error.timeout.firstByte',
			vars: { seconds: 0.06 }
		});
	});

	it('the first-byte limit is separate: a slow first byte within it, then a steady stream', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: slowFetch(150, [chunkLine({ content: 'ok' }), 'data: [DONE]\n\n'], 20),
			timeoutMs: 80,
			firstByteTimeoutMs: 1000
		});
		expect(answer.error).toBeUndefined();
		expect(answer.choices[0]?.content).toBe('ok');
	});

	it('without a first-byte limit, the idle limit also applies before the first byte', async () => {
		const { answer } = await runChat(prepared(), { fetch: silentFetch, timeoutMs: 60 });
		expect(answer.error?.kind).toBe('timeout');
		expect(answer.error?.message.key).toBe('error.timeout.firstByte');
	});

	it('firstByteTimeoutMs 0 means no first-byte limit', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: slowFetch(120, [chunkLine({ content: 'ok' }), 'data: [DONE]\n\n'], 10),
			timeoutMs: 60,
			firstByteTimeoutMs: 0
		});
		expect(answer.status).toBe('done');
	});
});
