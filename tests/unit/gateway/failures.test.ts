/** Every failure model answers as the real thing would: status, headers and body. */
import { describe, expect, it } from 'vitest';
import { chat, chunksOf, joined, useGateway } from './helpers.ts';

const gateway = useGateway();

describe('failing answers, streamed or not', () => {
	it.each([
		['error-500-text', 500, 'text/plain', 'upstream exploded'],
		[
			'error-401-json',
			401,
			'application/json',
			'{"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}'
		],
		[
			'error-400-code',
			400,
			'application/json',
			'{"error":{"code":400,"message":"model not found"}}'
		],
		['not-json', 200, 'application/json', '{"choices": [']
	])('%s: %i %s', async (model, status, type, body) => {
		for (const stream of [true, false]) {
			const res = await chat(gateway(), { model, stream });
			expect(res.status).toBe(status);
			expect(res.headers.get('content-type')).toBe(type);
			expect(await res.text()).toBe(body);
		}
	});

	it('error-502-html: an nginx page with a script inside', async () => {
		const res = await chat(gateway(), { model: 'error-502-html', stream: true });
		expect(res.status).toBe(502);
		expect(res.headers.get('content-type')).toBe('text/html');
		const html = await res.text();
		expect(html).toContain('<h1>502 Bad Gateway</h1>');
		expect(html).toContain('<script>alert(1)</script>');
		expect(html).toContain('nginx');
	});

	it('rate-limit: 429 with Retry-After and an OpenAI error body', async () => {
		const res = await chat(gateway(), { model: 'rate-limit', stream: false });
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('7');
		const body = (await res.json()) as { error: { message: string; code: string } };
		expect(body.error.message).toMatch(/Rate limit reached/);
		expect(body.error.code).toBe('rate_limit_exceeded');
	});
});

describe('failures inside a stream', () => {
	it('error-in-stream: some text, then an error object as data', async () => {
		const res = await chat(gateway(), { model: 'error-in-stream', stream: true });
		expect(res.status).toBe(200);
		const raw = await res.text();
		const chunks = chunksOf(raw);
		expect(joined(chunks.slice(0, -1))).toMatch(/^Partial answer/);
		expect(chunks.at(-1)).toEqual({ error: { message: 'overloaded', type: 'server_error' } });
		expect(raw).not.toContain('[DONE]');
	});

	it('event-error: some text, then an `event: error` event', async () => {
		const raw = await (await chat(gateway(), { model: 'event-error', stream: true })).text();
		expect(raw).toMatch(/data: .*Partial/);
		expect(raw.trimEnd().endsWith('event: error\ndata: {"message":"boom"}')).toBe(true);
	});

	it('drop: some text, then the connection breaks', async () => {
		const res = await chat(gateway(), { model: 'drop', stream: true });
		const reader = res.body?.getReader();
		const first = await reader?.read();
		expect(new TextDecoder().decode(first?.value)).toContain('Partial');
		await expect(
			(async () => {
				for (;;) if ((await reader?.read())?.done !== false) return 'ended cleanly';
			})()
		).rejects.toThrow();
	});

	it('hang: headers and one chunk, then nothing until the client aborts', async () => {
		const abort = new AbortController();
		const res = await chat(gateway(), { model: 'hang', stream: true }, { signal: abort.signal });
		const reader = res.body?.getReader();
		const first = await reader?.read();
		expect(new TextDecoder().decode(first?.value)).toContain('Started, then nothing');
		const next = reader?.read();
		const quiet = await Promise.race([
			next?.then(() => 'more'),
			new Promise((r) => setTimeout(() => r('quiet'), 300))
		]);
		expect(quiet).toBe('quiet');
		abort.abort();
		await expect(next).rejects.toThrow();
	});
});
