import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChat } from '../../../src/lib/wire/chat.ts';
import { readSse } from '../../../src/lib/wire/stream.ts';
import type { PreparedRequest } from '../../../src/lib/wire/types.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));

/** A body delivering `bytes` in pieces of the given sizes (cycled). */
function body(bytes: Uint8Array, sizes: number[] = [bytes.length]): ReadableStream<Uint8Array> {
	let at = 0;
	let i = 0;
	return new ReadableStream({
		pull(c) {
			if (at >= bytes.length) return c.close();
			const n = sizes[i++ % sizes.length] ?? 1;
			c.enqueue(bytes.slice(at, at + n));
			at += n;
		}
	});
}

const req = (stream = true): PreparedRequest => ({
	url: 'https://gw.example/v1/chat/completions',
	headers: { 'Content-Type': 'application/json' },
	body: {
		model: 'm',
		messages: [{ role: 'user', content: 'hi' }],
		...(stream ? { stream: true } : {})
	}
});

function sseResponse(bytes: Uint8Array, sizes?: number[], init: ResponseInit = {}) {
	return async () =>
		new Response(body(bytes, sizes), {
			status: 200,
			headers: { 'content-type': 'text/event-stream' },
			...init
		});
}

const chunkings: Array<[string, number[] | undefined]> = [
	['one chunk', undefined],
	['one byte per chunk', [1]],
	['ragged chunks', [3, 17, 1, 64, 5]]
];

describe('SSE dialects through runChat', () => {
	for (const [label, sizes] of chunkings) {
		describe(label, () => {
			it('reads CRLF line endings', async () => {
				const { answer } = await runChat(req(), { fetch: sseResponse(fixture('crlf.sse'), sizes) });
				expect(answer.status).toBe('done');
				expect(answer.choices[0]?.content).toBe('Hello, world!');
			});

			it('reads `data:` without a space, and skips comments and keep-alives', async () => {
				const a = await runChat(req(), { fetch: sseResponse(fixture('data-no-space.sse'), sizes) });
				expect(a.answer.choices[0]?.content).toBe('Hello, world!');
				const b = await runChat(req(), {
					fetch: sseResponse(fixture('comments-keepalive.sse'), sizes)
				});
				expect(b.answer.choices[0]?.content).toBe('Hello, world!');
			});

			it('keeps UTF-8 intact when a character is split across chunks', async () => {
				const { answer } = await runChat(req(), {
					fetch: sseResponse(fixture('utf8-split.sse'), sizes)
				});
				expect(answer.choices[0]?.content).toBe('你好，世界 🎉 ünïcödé');
			});

			it('reads a final usage chunk with empty choices', async () => {
				const { answer } = await runChat(req(), {
					fetch: sseResponse(fixture('usage-empty-choices.sse'), sizes)
				});
				expect(answer.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
				expect(answer.choices).toHaveLength(1);
			});

			it('accepts a stream that ends without [DONE]', async () => {
				const { answer } = await runChat(req(), {
					fetch: sseResponse(fixture('no-done.sse'), sizes)
				});
				expect(answer.status).toBe('done');
				expect(answer.choices[0]?.content).toBe('Hello, world!');
			});

			it('joins tool calls by index', async () => {
				const { answer } = await runChat(req(), {
					fetch: sseResponse(fixture('tool-calls.sse'), sizes)
				});
				expect(answer.choices[0]?.toolCalls).toEqual([
					{
						id: 'call_a',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city":"Paris"}' }
					},
					{
						id: 'call_b',
						type: 'function',
						function: { name: 'get_time', arguments: '{"tz":"UTC"}' }
					}
				]);
				expect(answer.choices[0]?.finishReason).toBe('tool_calls');
			});

			it('reads reasoning_content and reasoning into the reasoning part', async () => {
				const { answer } = await runChat(req(), {
					fetch: sseResponse(fixture('reasoning.sse'), sizes)
				});
				expect(answer.choices[0]?.reasoning).toBe('First think. Then more.');
				expect(answer.choices[0]?.content).toBe('Answer.');
			});

			it('keeps n > 1 choices apart', async () => {
				const { answer } = await runChat(req(), { fetch: sseResponse(fixture('n2.sse'), sizes) });
				expect(answer.choices.map((c) => c.content)).toEqual(['A one', 'B two']);
			});

			it('fails on an error object inside the stream, keeping the text before it', async () => {
				const { answer } = await runChat(req(), {
					fetch: sseResponse(fixture('error-in-stream.sse'), sizes)
				});
				expect(answer.status).toBe('failed');
				expect(answer.error?.kind).toBe('stream');
				expect(answer.error?.message.vars?.said).toContain('overloaded');
				expect(answer.choices[0]?.content).toBe('Partial');
			});
		});
	}

	it('handles `event: error`', async () => {
		const text =
			'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\nevent: error\ndata: {"message":"boom"}\n\n';
		const { answer } = await runChat(req(), { fetch: sseResponse(new TextEncoder().encode(text)) });
		expect(answer.status).toBe('failed');
		expect(answer.error?.message.vars?.said).toBe('boom');
		expect(answer.choices[0]?.content).toBe('Hi');
	});

	it('parses one 4 MiB event in 1 KiB chunks', async () => {
		const big = 'x'.repeat(4 * 1024 * 1024);
		const bytes = new TextEncoder().encode(
			`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: big } }] })}\n\n`
		);
		const { answer } = await runChat(req(), { fetch: sseResponse(bytes, [1024]) });
		expect(answer.choices[0]?.content.length).toBe(big.length);
	});

	it('stops reading at [DONE]', async () => {
		const text =
			'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\ndata: {"choices":[{"index":0,"delta":{"content":"b"}}]}\n\n';
		const events: string[] = [];
		for await (const e of readSse(body(new TextEncoder().encode(text)))) events.push(e.data);
		expect(events).toHaveLength(1);
	});
});

describe('runChat failures', () => {
	const respond =
		(status: number, text: string, headers: Record<string, string> = {}) =>
		async () =>
			new Response(text, { status, headers });

	it.each([
		[
			401,
			'{"error":{"message":"Invalid API key","code":"invalid_api_key"}}',
			'application/json',
			'Invalid API key (invalid_api_key)'
		],
		[
			400,
			'{"error":{"code":400,"message":"model not found"}}',
			'application/json',
			'model not found (400)'
		],
		[500, 'upstream exploded', 'text/plain', 'upstream exploded'],
		[
			502,
			'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><script>x()</script></body></html>',
			'text/html',
			'502 Bad Gateway'
		],
		[
			422,
			'{"detail":[{"loc":["body","model"],"msg":"field required"}]}',
			'application/json',
			'field required'
		]
	])('HTTP %i shows the status and the server’s words', async (status, text, type, words) => {
		const { answer } = await runChat(req(), {
			fetch: respond(status, text, { 'content-type': type })
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.status).toBe(status);
		expect(answer.error?.message.key).toBe('error.http');
		expect(String(answer.error?.message.vars?.said)).toContain(words);
		expect(String(answer.error?.message.vars?.said)).not.toContain('<');
	});

	it('says when to retry after a 429', async () => {
		const { answer } = await runChat(req(), {
			fetch: respond(429, '{"error":{"message":"slow down"}}', { 'retry-after': '7' })
		});
		expect(answer.error?.retryAfter).toBe(7);
		expect(answer.error?.hint).toEqual({ key: 'error.hint.retryAfter', vars: { seconds: 7 } });
	});

	it('blames CORS for a cross-origin fetch failure and the network for a same-origin one', async () => {
		const fail = async () => {
			throw new TypeError('Failed to fetch');
		};
		const cross = await runChat(req(), { fetch: fail, pageOrigin: 'https://app.example' });
		expect(cross.answer.error?.kind).toBe('cors');
		const same = await runChat(req(), { fetch: fail, pageOrigin: 'https://gw.example' });
		expect(same.answer.error?.kind).toBe('network');
	});

	it('keeps the partial text when the user stops', async () => {
		const controller = new AbortController();
		const enc = new TextEncoder();
		const fetchHang = async (_url: RequestInfo | URL, init?: RequestInit) =>
			new Response(
				new ReadableStream<Uint8Array>({
					start(c) {
						c.enqueue(enc.encode('data: {"choices":[{"index":0,"delta":{"content":"Half"}}]}\n\n'));
						init?.signal?.addEventListener('abort', () =>
							c.error(new DOMException('aborted', 'AbortError'))
						);
					}
				}),
				{ headers: { 'content-type': 'text/event-stream' } }
			);
		const run = runChat(req(), {
			fetch: fetchHang,
			signal: controller.signal,
			onUpdate: () => controller.abort()
		});
		const { answer } = await run;
		expect(answer.status).toBe('stopped');
		expect(answer.choices[0]?.content).toBe('Half');
		expect(answer.error).toBeUndefined();
	});

	it('times out a stream that stops talking, keeping what arrived', async () => {
		const enc = new TextEncoder();
		const fetchHang = async (_url: RequestInfo | URL, init?: RequestInit) =>
			new Response(
				new ReadableStream<Uint8Array>({
					start(c) {
						c.enqueue(
							enc.encode('data: {"choices":[{"index":0,"delta":{"content":"Started"}}]}\n\n')
						);
						init?.signal?.addEventListener('abort', () =>
							c.error(new DOMException('aborted', 'AbortError'))
						);
					}
				}),
				{ headers: { 'content-type': 'text/event-stream' } }
			);
		const { answer } = await runChat(req(), { fetch: fetchHang, timeoutMs: 50 });
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('timeout');
		expect(answer.choices[0]?.content).toBe('Started');
	});

	it('reports a dropped connection mid-stream', async () => {
		const enc = new TextEncoder();
		let sent = false;
		const dropping = async () =>
			new Response(
				new ReadableStream<Uint8Array>({
					pull(c) {
						if (sent) return c.error(new TypeError('network error'));
						sent = true;
						c.enqueue(enc.encode('data: {"choices":[{"index":0,"delta":{"content":"Some"}}]}\n\n'));
					}
				}),
				{ headers: { 'content-type': 'text/event-stream' } }
			);
		const { answer } = await runChat(req(), { fetch: dropping });
		expect(answer.status).toBe('failed');
		expect(answer.error?.message.key).toBe('error.dropped');
		expect(answer.choices[0]?.content).toBe('Some');
	});

	it('reads a non-streamed JSON answer, and refuses a body that is not JSON', async () => {
		const ok = await runChat(req(false), {
			fetch: async () =>
				Response.json({
					choices: [
						{
							index: 0,
							message: { role: 'assistant', content: 'Done.', reasoning_content: 'Hm.' },
							finish_reason: 'stop'
						}
					],
					usage: { prompt_tokens: 1, completion_tokens: 2 }
				})
		});
		expect(ok.answer).toMatchObject({ status: 'done', usage: { completion_tokens: 2 } });
		expect(ok.answer.choices[0]).toMatchObject({ content: 'Done.', reasoning: 'Hm.' });
		expect(ok.raw.events).toHaveLength(1);

		const bad = await runChat(req(false), {
			fetch: async () =>
				new Response('{"choices": [', { headers: { 'content-type': 'application/json' } })
		});
		expect(bad.answer.error?.kind).toBe('parse');
		expect(bad.answer.error?.message.vars?.start).toBe('{"choices": [');
	});
});
