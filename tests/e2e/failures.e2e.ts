/**
 * Issues 6 and 11, reliability: every way a gateway fails or misbehaves, streamed and not. Text
 * that arrived stays; nothing stays streaming.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { column, connect, lastAnswer, saved, send, settled, useJourney } from './journey.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';
import { GEMINI_EXTRA } from '../gateway/models.ts';
import type { ChatRequest } from '../../src/lib/wire/types.ts';
import type { Session } from './harness.ts';

const journey = useJourney();
let gateway: Gateway;
let session: Session;
beforeAll(async () => {
	gateway = journey.gateway();
	session = await journey.open();
});

interface Case {
	name: string;
	model: string;
	base?: () => string;
	stream: boolean;
	/** What the error must say (the status and the server's own words). */
	says: RegExp;
	/** Text that arrived before the failure and must stay. */
	keeps?: string;
	timeoutSeconds?: number;
	stop?: boolean;
	/** Done, but marked "may be cut off" (no finish_reason). */
	cutOff?: boolean;
}

const closedPort = 'http://127.0.0.1:9/v1';

const cases: Case[] = [];
for (const stream of [true, false]) {
	cases.push(
		{ name: 'HTML 502', model: 'error-502-html', stream, says: /502.*Bad Gateway/s },
		{ name: 'text 500', model: 'error-500-text', stream, says: /500.*upstream exploded/s },
		{
			name: '429 with Retry-After',
			model: 'rate-limit',
			stream,
			says: /429.*Rate limit reached.*retry in 7 s/s
		},
		{
			name: 'a body that is not JSON',
			model: 'not-json',
			stream,
			says: /not valid JSON.*\{"choices": \[/s
		},
		{
			name: 'CORS refusal',
			model: 'echo',
			base: () => `${gateway.url}/no-cors/v1`,
			stream,
			says: /CORS/
		},
		{ name: 'closed port', model: 'echo', base: () => closedPort, stream, says: /Could not reach/ },
		{ name: 'timeout', model: 'slow-headers:4000', stream, says: /timed out/, timeoutSeconds: 1 },
		{
			name: 'an empty 200',
			model: 'empty-200',
			stream,
			says: /HTTP 200 \(application\/json\) with an empty body/
		},
		{
			name: 'an HTML login page with status 200',
			model: 'html-200',
			stream,
			says: /HTTP 200 \(text\/html\) is not an answer: Sign in Sign in to continue/
		}
	);
}
cases.push(
	{
		name: 'user abort',
		model: 'slow',
		stream: true,
		says: /Stopped/,
		keeps: 'You said',
		stop: true
	},
	{
		name: 'TCP drop',
		model: 'drop',
		stream: true,
		says: /connection broke/,
		keeps: 'Partial answer'
	},
	{
		name: 'end without [DONE] or finish_reason',
		model: 'no-done',
		stream: true,
		says: /^$/,
		keeps: 'You said',
		cutOff: true
	},
	{
		name: 'a tool-call index of 10⁸',
		model: 'tool-index-huge',
		stream: true,
		says: /breaks the protocol \(tool call index 100000000\).*"index":100000000/s,
		keeps: 'Let me check.'
	},
	{
		name: 'error object inside the stream',
		model: 'error-in-stream',
		stream: true,
		says: /overloaded/,
		keeps: 'Partial'
	},
	{ name: 'event: error', model: 'event-error', stream: true, says: /boom/, keeps: 'Partial' },
	{
		name: 'timeout mid-stream',
		model: 'hang',
		stream: true,
		says: /timed out/,
		keeps: 'Started',
		timeoutSeconds: 1
	}
);

/** The raw response of column 1's last exchange, as the Raw request view shows it; closes it again. */
async function rawResponse(page: Session['page']): Promise<string> {
	const toggle = column(page, 1).getByRole('button', { name: 'Raw request', exact: true });
	await toggle.click();
	const text = await column(page, 1).locator('[data-part="raw-response"]').innerText();
	await toggle.click();
	return text;
}

describe('failure matrix', () => {
	for (const c of cases) {
		it(`${c.name} (${c.stream ? 'streamed' : 'not streamed'})`, async () => {
			const page = session.page;
			const col = column(page, 1);
			await connect(page, 1, c.base?.() ?? gateway.url, c.model);
			if ((await col.getByRole('checkbox', { name: 'Stream', exact: true }).count()) === 0)
				await col.getByRole('button', { name: 'Parameters', exact: true }).click();
			await col.getByRole('checkbox', { name: 'Stream', exact: true }).setChecked(c.stream);
			await col
				.getByRole('spinbutton', {
					name: 'Idle timeout (seconds without a byte, 0 = none)',
					exact: true
				})
				.fill(String(c.timeoutSeconds ?? 300));
			await col
				.getByRole('spinbutton', {
					name: 'Idle timeout (seconds without a byte, 0 = none)',
					exact: true
				})
				.blur();
			await send(page, `case ${c.name}`);
			if (c.stop) {
				await expect
					.poll(() => lastAnswer(page, 1).locator('[data-part="content"]').innerText())
					.toContain('You said');
				await page.getByRole('button', { name: 'Stop', exact: true }).click();
			}
			const started = Date.now();
			const timeout = c.timeoutSeconds && c.timeoutSeconds < 60 ? c.timeoutSeconds : 0;
			const answer = await settled(page, 1, 15_000);
			const text = await answer.innerText();
			expect(await answer.locator('[data-cut-off="true"]').count()).toBe(c.cutOff ? 1 : 0);
			if (c.cutOff) {
				expect(text).toContain('may be cut off');
				expect(await rawResponse(page)).toContain('the answer may be cut off');
			}
			if (c.says.source !== '^$') expect(text).toMatch(c.says);
			else expect(await answer.locator('[data-part="error"]').count()).toBe(0);
			expect(text).not.toMatch(/Failed to fetch|Unexpected token|undefined/);
			if (c.keeps)
				expect(await answer.locator('[data-part="content"]').innerText()).toContain(c.keeps);
			// Nothing stays streaming: the answer settled promptly once the failure was known.
			expect(Date.now() - started).toBeLessThan(timeout ? 6000 : 5000);
		});
	}
});

describe('hostile servers', () => {
	it('a tool call numbered from 1 (after text) shows, and still shows after a reload', async () => {
		const page = session.page;
		await connect(page, 1, gateway.url, 'tools-index-1');
		await send(page, 'weather please');
		const answer = await settled(page, 1);
		const call = answer.locator('[data-part="tool-calls"] [data-name="get_weather"]');
		expect(await call.innerText()).toContain('Paris');
		expect(await answer.locator('[data-part="error"]').count()).toBe(0);
		await saved(page);
		await page.reload();
		await page.locator('.app[data-ready="true"]').waitFor();
		const again = await settled(page, 1);
		expect(await again.locator('[data-part="tool-calls"] [data-name="get_weather"]').count()).toBe(
			1
		);
	});

	it("sends a provider's own tool-call fields back (Gemini's thought signature)", async () => {
		const page = session.page;
		await connect(page, 1, gateway.url, 'tools-gemini');
		await send(page, 'weather please');
		await settled(page, 1);
		const c = column(page, 1);
		await c.getByRole('textbox', { name: 'Result for get_weather' }).fill('{"temp": 21}');
		await c.getByRole('button', { name: 'Submit tool results', exact: true }).click();
		const next = await settled(page, 1);
		expect(await next.locator('[data-part="content"]').innerText()).toContain('Tool said');
		const body = gateway.chatRequests().at(-1)?.body as ChatRequest;
		const assistant = body.messages.findLast((m) => m.role === 'assistant');
		expect(assistant?.role === 'assistant' && assistant.tool_calls?.[0]).toMatchObject({
			id: 'call_w',
			extra_content: GEMINI_EXTRA
		});
	});

	it('Stop ends an endless fast stream, keeping what arrived', async () => {
		const page = session.page;
		await connect(page, 1, gateway.url, 'flood');
		await send(page, 'flood me');
		await expect
			.poll(() => lastAnswer(page, 1).locator('[data-part="content"]').innerText())
			.toContain('flood flood');
		await page.getByRole('button', { name: 'Stop', exact: true }).click();
		const answer = await settled(page, 1);
		expect(await answer.innerText()).toContain('Stopped: the text above is what arrived.');
		expect(await answer.locator('[data-part="content"]').innerText()).toContain('flood flood');
		// The raw log kept the first and last events of the flood, not all.
		expect(await rawResponse(page)).toMatch(
			/… \d+ events left out \(the first and last are kept\) …/
		);
		// Send works again.
		await connect(page, 1, gateway.url, 'echo');
		await send(page, 'after the flood');
		const next = await settled(page, 1);
		expect(await next.locator('[data-part="content"]').innerText()).toContain('after the flood');
	});

	it('a redirect is not followed with the key: the other server gets nothing', async () => {
		const other = await startGateway();
		try {
			const page = session.page;
			const port = new URL(other.url).port;
			await connect(page, 1, `${gateway.url}/redirect/${port}/v1`, 'echo', 'sk-secret');
			await send(page, 'my secret conversation');
			const answer = await settled(page, 1);
			expect(await answer.innerText()).toMatch(
				/redirected the request; Switchboard does not follow redirects with your key/
			);
			expect(other.requests).toEqual([]);
		} finally {
			await other.close();
		}
	});

	it('the model list says "could not reach" for a closed port, as Send does', async () => {
		const page = session.page;
		await connect(page, 1, closedPort, 'echo');
		const error = column(page, 1).locator('[data-part="models-error"]');
		await expect.poll(() => error.count()).toBe(1);
		expect(await error.innerText()).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9/);
		expect(await error.innerText()).not.toMatch(/CORS/);
	});
});
