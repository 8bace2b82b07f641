import { describe, expect, it } from 'vitest';
import { runChat } from '../../../src/lib/wire/chat.ts';
import { chunkLine, prepared, utf8 } from './helpers.ts';

const respond =
	(body: BodyInit | null, init: ResponseInit): typeof fetch =>
	async () =>
		new Response(body, init);

describe('runChat: HTTP errors', () => {
	it('401 with an OpenAI error body: message, code and the auth hint', async () => {
		const body = '{"error":{"message":"Invalid API key","code":"invalid_api_key"}}';
		const { answer, raw } = await runChat(prepared(), {
			fetch: respond(body, {
				status: 401,
				statusText: 'Unauthorized',
				headers: { 'content-type': 'application/json' }
			})
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('http');
		expect(answer.error?.status).toBe(401);
		expect(answer.error?.message.key).toBe('error.http');
		expect(answer.error?.message.vars?.said).toBe('Invalid API key (invalid_api_key)');
		expect(answer.error?.hint?.key).toBe('error.hint.auth');
		expect(answer.error?.detail).toBe(body);
		expect(raw.status).toBe(401);
		expect(raw.events.map((e) => e.data)).toEqual([body]);
	});

	it('400 with a numeric code', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: respond('{"error":{"code":400,"message":"model not found"}}', {
				status: 400,
				headers: { 'content-type': 'application/json' }
			})
		});
		expect(answer.error?.status).toBe(400);
		expect(answer.error?.message.vars?.said).toContain('model not found');
		expect(answer.error?.message.vars?.statusText).toBe('Bad Request');
	});

	it('text/plain 500', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: respond('upstream exploded', {
				status: 500,
				headers: { 'content-type': 'text/plain' }
			})
		});
		expect(answer.error?.kind).toBe('http');
		expect(answer.error?.message.vars?.said).toBe('upstream exploded');
		expect(answer.error?.hint?.key).toBe('error.hint.server');
	});

	it('an HTML 502 page becomes text without markup', async () => {
		const html =
			'<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>h1{color:red}</style></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center><script>alert(1)</script></body></html>';
		const { answer } = await runChat(prepared(), {
			fetch: respond(html, { status: 502, headers: { 'content-type': 'text/html' } })
		});
		const said = String(answer.error?.message.vars?.said);
		expect(said).toContain('Bad Gateway');
		expect(said).toContain('nginx');
		expect(said).not.toContain('<');
		expect(said).not.toContain('alert');
		expect(said).not.toContain('color:red');
		expect(answer.error?.status).toBe(502);
	});

	it('an HTML page sent without a content type is still read as HTML', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: respond('<html><body>Bad Gateway</body></html>', { status: 502 })
		});
		expect(answer.error?.message.vars?.said).toBe('Bad Gateway');
	});

	it('429 with Retry-After: 7', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: respond('{"error":{"message":"slow down"}}', {
				status: 429,
				headers: { 'retry-after': '7', 'content-type': 'application/json' }
			})
		});
		expect(answer.error?.retryAfter).toBe(7);
		expect(answer.error?.hint).toEqual({ key: 'error.hint.retryAfter', vars: { seconds: 7 } });
	});

	it('429 without Retry-After gets the rate-limit hint', async () => {
		const { answer } = await runChat(prepared(), { fetch: respond('', { status: 429 }) });
		expect(answer.error?.retryAfter).toBeUndefined();
		expect(answer.error?.message.key).toBe('error.httpBare');
		expect(answer.error?.hint?.key).toBe('error.hint.rateLimit');
	});

	it('a streaming request answered with an HTTP error is not read as SSE', async () => {
		const { answer } = await runChat(prepared(true), {
			fetch: respond('{"error":{"message":"nope"}}', { status: 403 })
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('http');
		expect(answer.choices).toEqual([]);
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
