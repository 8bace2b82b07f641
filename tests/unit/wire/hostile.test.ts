/** Issue 11: servers that answer badly or without end; the answer always settles, text kept. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RAW_KEEP, runChat } from '../../../src/lib/wire/chat.ts';
import { chunkLine, prepared, sseFetch, utf8 } from './helpers.ts';

const sse = { 'content-type': 'text/event-stream' };

/** A body that never ends and is always ready: a chunk of text on every pull. */
function endless(line = chunkLine({ content: 'flood ' })): ReadableStream<Uint8Array> {
	const bytes = utf8(line);
	return new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes) });
}

const toolCall = (index: number) =>
	`data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [{ index, id: 'a', function: { name: 'f', arguments: '{}' } }] } }] })}\n\n`;

describe('a malformed answer fails it with the server’s words, keeping the text', () => {
	it('tool-call index 10⁸ is a protocol error quoting the event, not a dropped connection', async () => {
		const body = `${chunkLine({ content: 'Before' })}${toolCall(100_000_000)}`;
		const { answer } = await runChat(prepared(), { fetch: sseFetch(utf8(body)) });
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('protocol');
		expect(answer.error?.message.key).toBe('error.protocol');
		expect(answer.error?.message.vars?.problem).toBe('tool call index 100000000');
		expect(answer.error?.message.vars?.said).toContain('"index":100000000');
		expect(answer.choices[0]?.content).toBe('Before');
	});

	it('a first tool-call index of 1 is read as one call', async () => {
		const body = `${chunkLine({ content: 'Text' })}${toolCall(1)}data: [DONE]\n\n`;
		const { answer } = await runChat(prepared(), { fetch: sseFetch(utf8(body)) });
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.toolCalls.map((c) => c.id)).toEqual(['a']);
	});

	it('a throw while using an event ends the answer as failed, never streaming', async () => {
		const body = `${chunkLine({ content: 'A' })}${chunkLine({ content: 'B' })}`;
		let updates = 0;
		const { answer } = await runChat(prepared(), {
			fetch: sseFetch(utf8(body)),
			onUpdate: () => {
				if (++updates === 2) throw new Error('view broke');
			}
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('protocol');
		expect(answer.error?.message.vars?.problem).toBe('view broke');
		expect(answer.choices[0]?.content).toBe('AB');
	});

	it('a throw outside the read loop fails the answer too, saying it was ours', async () => {
		let calls = 0;
		const { answer } = await runChat(prepared(), {
			fetch: sseFetch(utf8(chunkLine({ content: 'A' }))),
			onRaw: () => {
				if (++calls === 1) throw new Error('raw view broke');
			}
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.message).toEqual({
			key: 'error.read',
			vars: { problem: 'raw view broke' }
		});
	});
});

describe('an endless fast stream', () => {
	it('Stop ends it as stopped, keeping what arrived', async () => {
		const stop = new AbortController();
		let updates = 0;
		const { answer } = await runChat(prepared(), {
			// The fake body ignores the signal, as a busy network read may: runChat must check it.
			fetch: async () => new Response(endless(), { headers: sse }),
			signal: stop.signal,
			onUpdate: () => {
				if (++updates === 50) stop.abort();
			}
		});
		expect(answer.status).toBe('stopped');
		expect(answer.error).toBeUndefined();
		expect(answer.choices[0]?.content).toBe('flood '.repeat(50));
	});

	it('hands the page a turn now and then, so a Stop from a click (a task) gets in', async () => {
		const stop = new AbortController();
		// A task, like a click: it only runs if reading an always-ready body yields to the loop.
		setTimeout(() => stop.abort(), 20);
		const { answer } = await runChat(prepared(), {
			fetch: async () => new Response(endless(), { headers: sse }),
			signal: stop.signal
		});
		expect(answer.status).toBe('stopped');
		expect(answer.choices[0]?.content).toMatch(/^(flood )+$/);
	});

	it('past the size cap it stops with a notice, keeping the text; the raw log stays bounded', async () => {
		const { answer, raw } = await runChat(prepared(), {
			fetch: async () => new Response(endless(), { headers: sse }),
			maxBytes: 200_000
		});
		expect(answer.status).toBe('stopped');
		expect(answer.error?.kind).toBe('size');
		expect(answer.error?.message).toEqual({ key: 'error.size', vars: { mb: 0 } });
		const text = answer.choices[0]?.content ?? '';
		expect(text.startsWith('flood flood')).toBe(true);
		expect(text.length).toBeGreaterThan(10_000);
		// The first and last events are kept, the count of those in between.
		expect(raw.events).toHaveLength(2 * RAW_KEEP);
		expect(raw.omitted?.at).toBe(RAW_KEEP);
		expect(raw.omitted?.count).toBeGreaterThan(100);
	});

	it('a non-streamed body past the size cap stops too', async () => {
		const { answer } = await runChat(prepared(false), {
			fetch: async () =>
				new Response(endless('{"choices":'), { headers: { 'content-type': 'application/json' } }),
			maxBytes: 100_000
		});
		expect(answer.status).toBe('stopped');
		expect(answer.error?.kind).toBe('size');
	});
});

describe('a timeout too large for a timer', () => {
	afterEach(() => vi.restoreAllMocks());

	it('2,147,484 s and more mean practically never, not at once', async () => {
		const timers = vi.spyOn(globalThis, 'setTimeout');
		const { answer } = await runChat(prepared(), {
			fetch: async () => {
				await new Promise((r) => setTimeout(r, 30));
				return new Response(`${chunkLine({ content: 'late' })}data: [DONE]\n\n`, {
					headers: sse
				});
			},
			timeoutMs: 2_147_484_000
		});
		expect(answer.error).toBeUndefined();
		expect(answer.status).toBe('done');
		// A longer delay overflows to ~0 ms: the watchdog would wake without pause, burning CPU.
		const delays = timers.mock.calls.map(([, ms]) => ms ?? 0);
		expect(delays.some((ms) => ms > 1_000_000_000)).toBe(true);
		expect(Math.max(...delays)).toBeLessThanOrEqual(2_147_483_647);
	});
});

describe('a 2xx that carries no answer fails, saying what came back', () => {
	const html =
		'<!doctype html><html><head><title>Sign in</title></head><body>Please log in</body></html>';
	for (const stream of [true, false]) {
		const mode = stream ? 'streamed' : 'not streamed';
		it(`an empty 200 (${mode})`, async () => {
			const { answer } = await runChat(prepared(stream), {
				fetch: async () => new Response('', { headers: { 'content-type': 'text/plain' } })
			});
			expect(answer.status).toBe('failed');
			expect(answer.error?.message).toEqual({
				key: 'error.emptyBody',
				vars: { status: 200, type: 'text/plain' }
			});
		});

		it(`a 204 (${mode})`, async () => {
			const { answer } = await runChat(prepared(stream), {
				fetch: async () => new Response(null, { status: 204 })
			});
			expect(answer.status).toBe('failed');
			expect(answer.error?.message).toEqual({
				key: 'error.emptyBody',
				vars: { status: 204, type: '?' }
			});
		});

		it(`an HTML login page with 200 (${mode})`, async () => {
			const { answer } = await runChat(prepared(stream), {
				fetch: async () => new Response(html, { headers: { 'content-type': 'text/html' } })
			});
			expect(answer.status).toBe('failed');
			expect(answer.error?.message).toEqual({
				key: 'error.unexpected',
				vars: { status: 200, type: 'text/html', start: 'Sign in Please log in' }
			});
		});
	}
});

describe('a stream that ends without a finish_reason', () => {
	it('is done but may be cut off, noted on its last raw event', async () => {
		const { answer, raw } = await runChat(prepared(), {
			fetch: sseFetch(utf8(chunkLine({ content: 'Half a sen' })))
		});
		expect(answer.status).toBe('done');
		expect(answer.error).toBeUndefined();
		expect(answer.cutOff).toBe(true);
		expect(raw.events.at(-1)?.note?.key).toBe('raw.cutOff');
	});

	it('with a finish_reason it is not', async () => {
		const end = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
		const { answer, raw } = await runChat(prepared(), {
			fetch: sseFetch(utf8(`${chunkLine({ content: 'Whole.' })}${end}`))
		});
		expect(answer.cutOff).toBeUndefined();
		expect(raw.events.some((e) => e.note)).toBe(false);
	});
});

describe('redirects are not followed with the key', () => {
	it('asks fetch not to follow, and a 307 fails naming where it pointed', async () => {
		let init: RequestInit | undefined;
		const { answer } = await runChat(prepared(), {
			fetch: async (_url, i) => {
				init = i;
				return new Response(null, {
					status: 307,
					headers: { location: 'https://elsewhere.example/v1/chat/completions' }
				});
			}
		});
		expect(init?.redirect).toBe('manual');
		expect(answer.status).toBe('failed');
		expect(answer.error?.kind).toBe('redirect');
		expect(answer.error?.message).toEqual({
			key: 'error.redirect',
			vars: { location: 'https://elsewhere.example/v1/chat/completions' }
		});
	});

	it('a browser’s opaque redirect (status 0, no Location) says it cannot tell where', async () => {
		const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null };
		const { answer } = await runChat(prepared(), {
			fetch: async () => opaque as unknown as Response
		});
		expect(answer.status).toBe('failed');
		expect(answer.error?.message).toEqual({
			key: 'error.redirectHidden',
			vars: { url: prepared().url }
		});
	});
});
