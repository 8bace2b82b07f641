/** Issue 11: the gateway's hostile servers answer as the real ones would. */
import { describe, expect, it } from 'vitest';
import { chat, chunksOf, joined, streamed, useGateway } from './helpers.ts';
import { GEMINI_EXTRA, LOGIN_PAGE } from '../../gateway/models.ts';
import { startGateway } from '../../gateway/server.ts';

const gateway = useGateway();

describe('hostile answers', () => {
	it('tools-index-1: text, then a call numbered from 1, as Anthropic’s endpoint does', async () => {
		const { chunks } = await streamed(gateway(), { model: 'tools-index-1' });
		expect(joined(chunks)).toBe('Let me check.');
		const indexes = chunks.flatMap((c) =>
			(c.choices ?? []).flatMap((x) => (x.delta?.tool_calls ?? []).map((t) => t.index))
		);
		expect(new Set(indexes)).toEqual(new Set([1]));
		expect(chunks.at(-1)?.choices?.[0]?.finish_reason).toBe('tool_calls');
	});

	it('tool-index-huge: a tool call with index 10⁸', async () => {
		const { chunks } = await streamed(gateway(), { model: 'tool-index-huge' });
		expect(chunks.some((c) => c.choices?.[0]?.delta?.tool_calls?.[0]?.index === 100_000_000)).toBe(
			true
		);
	});

	it.each([true, false])('empty-200 and html-200 (stream %s)', async (stream) => {
		const empty = await chat(gateway(), { model: 'empty-200', stream });
		expect(empty.status).toBe(200);
		expect(await empty.text()).toBe('');
		const html = await chat(gateway(), { model: 'html-200', stream });
		expect(html.status).toBe(200);
		expect(html.headers.get('content-type')).toBe('text/html');
		expect(await html.text()).toBe(LOGIN_PAGE);
	});

	it('flood: chunks without end, until the client goes away', async () => {
		const abort = new AbortController();
		const res = await chat(gateway(), { model: 'flood', stream: true }, { signal: abort.signal });
		const reader = res.body?.getReader();
		const decoder = new TextDecoder();
		let text = '';
		while (text.length < 1_000_000) text += decoder.decode((await reader?.read())?.value);
		const whole = text.slice(0, text.lastIndexOf('\n\n') + 2);
		expect(joined(chunksOf(whole))).toMatch(/^(flood(\n\n| ))+$/);
		expect(whole).not.toContain('finish_reason":"');
		abort.abort();
		// The gateway stops writing and goes on answering.
		const after = await chat(gateway(), { model: 'echo' });
		expect(after.status).toBe(200);
	});
});

describe('/redirect/<port>/…', () => {
	it('sends every request but a preflight to the same path on the other port, with a 307', async () => {
		const manual = await fetch(`${gateway().url}/redirect/4321/v1/models`, { redirect: 'manual' });
		expect(manual.status).toBe(307);
		expect(manual.headers.get('location')).toBe('http://127.0.0.1:4321/v1/models');
		const preflight = await fetch(`${gateway().url}/redirect/4321/v1/models`, {
			method: 'OPTIONS'
		});
		expect(preflight.status).toBe(204);
	});

	it('a followed 307 takes the body to the other gateway (what the app must avoid)', async () => {
		const other = await startGateway();
		try {
			const port = new URL(other.url).port;
			const res = await chat(
				gateway(),
				{ model: 'echo', stream: false },
				{ path: `/redirect/${port}/v1/chat/completions` }
			);
			expect(res.status).toBe(200);
			expect(other.chatRequests()).toHaveLength(1);
			expect(other.chatRequests()[0]?.body).toMatchObject({ model: 'echo' });
		} finally {
			await other.close();
		}
	});
});

describe('tools-gemini', () => {
	it("a tool call with Gemini's extra_content, then text once the result comes back", async () => {
		const { chunks } = await streamed(gateway(), { model: 'tools-gemini' });
		const calls = chunks.flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? []);
		expect(calls[0]).toMatchObject({ id: 'call_w', extra_content: GEMINI_EXTRA });
		const next = await streamed(gateway(), {
			model: 'tools-gemini',
			messages: [{ role: 'tool', tool_call_id: 'call_w', content: '21' }]
		});
		expect(joined(next.chunks)).toBe('Tool said: 21');
	});
});
