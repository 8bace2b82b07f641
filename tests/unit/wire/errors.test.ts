import { describe, expect, it } from 'vitest';
import { runChat } from '../../../src/lib/wire/chat.ts';
import { prepared } from './helpers.ts';

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

	it('{ "error": "Not Found", "message": … } headlines the message', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: respond('{"error":"Not Found","message":"No such deployment: gpt-9"}', {
				status: 404,
				headers: { 'content-type': 'application/json' }
			})
		});
		expect(answer.error?.message.vars?.said).toBe('No such deployment: gpt-9 (Not Found)');
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

	it('422 with a FastAPI-style detail list', async () => {
		const { answer } = await runChat(prepared(), {
			fetch: respond('{"detail":[{"loc":["body","model"],"msg":"field required"}]}', {
				status: 422,
				headers: { 'content-type': 'application/json' }
			})
		});
		expect(answer.error?.status).toBe(422);
		expect(answer.error?.message.key).toBe('error.http');
		expect(String(answer.error?.message.vars?.said)).toContain('field required');
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
