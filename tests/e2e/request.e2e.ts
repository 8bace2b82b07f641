/** Issue 3's journeys: every parameter, tools end to end, structured output, images, the raw wire. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { column, connect, expectClean, send, settled, useJourney } from './journey.ts';
import type { Gateway } from '../gateway/server.ts';

const run = promisify(execFile);
const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

async function openParams(c: Locator) {
	await c.getByRole('button', { name: 'Parameters', exact: true }).click();
}

type Body = Record<string, unknown> & { messages: Array<Record<string, unknown>> };
const lastBody = () => gateway.chatRequests().at(-1)?.body as Body;

describe('parameters', () => {
	it('sends every parameter exactly as set, and nothing that is unset', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-param');
		const c = column(s.page, 1);
		await openParams(c);
		const fill = (name: string, value: string) =>
			c.getByRole('textbox', { name, exact: true }).fill(value);
		await fill('Temperature', '0.7');
		await fill('Top P', '0.9');
		await fill('Presence penalty', '-1');
		await fill('Frequency penalty', '1.5');
		await fill('Seed', '7');
		await fill('N', '2');
		await fill('Max completion tokens', '100');
		await fill('Stop sequences', 'END\n###');
		await fill('Logit bias', '{"50256": -100}');
		await fill('User', 'user-1');
		await fill('Extra body', '{"top_k": 40}');
		await c.getByRole('combobox', { name: 'Reasoning effort', exact: true }).selectOption('low');
		await c.getByRole('textbox', { name: 'Extra headers', exact: true }).fill('X-Trace-ID: abc123');
		gateway.clear();
		await send(s.page, 'all of them');
		const answer = await settled(s.page, 1);
		const body = lastBody();
		expect(body).toMatchObject({
			model: 'echo',
			temperature: 0.7,
			top_p: 0.9,
			presence_penalty: -1,
			frequency_penalty: 1.5,
			seed: 7,
			n: 2,
			max_completion_tokens: 100,
			stop: ['END', '###'],
			logit_bias: { '50256': -100 },
			user: 'user-1',
			top_k: 40,
			reasoning_effort: 'low',
			stream: true
		});
		expect(body).not.toHaveProperty('max_tokens');
		expect(gateway.chatRequests().at(-1)?.headers['x-trace-id']).toBe('abc123');
		// n = 2: both choices, side by side.
		expect(await answer.locator('[data-choice="0"] [data-part="content"]').innerText()).toContain(
			'Choice 0'
		);
		expect(await answer.locator('[data-choice="1"] [data-part="content"]').innerText()).toContain(
			'Choice 1'
		);
	});

	it('explains malformed JSON next to the control and sends nothing', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		const c = column(s.page, 1);
		await openParams(c);
		await c.getByRole('textbox', { name: 'Tools', exact: true }).fill('[{"type": "function"');
		gateway.clear();
		await send(s.page, 'nope');
		expect(await c.locator('[data-param="tools"] [data-part="field-error"]').innerText()).toMatch(
			/Not valid JSON/
		);
		expect(gateway.chatRequests()).toHaveLength(0);
		expect(await s.page.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toBe(
			'nope'
		);
	});
});

describe('tools', () => {
	it('assembles streamed tool calls, takes the results and lets the model go on', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'tools');
		const c = column(s.page, 1);
		await openParams(c);
		await c.getByRole('button', { name: 'Start from a template', exact: true }).first().click();
		await c.getByRole('textbox', { name: 'Tool choice', exact: true }).fill('get_weather');
		await send(s.page, 'weather in Paris?');
		const answer = await settled(s.page, 1);
		const calls = answer.locator('[data-tool-call]');
		expect(await calls.count()).toBe(2);
		expect(await calls.first().getAttribute('data-name')).toBe('get_weather');
		expect(JSON.parse(await calls.first().locator('pre').innerText())).toEqual({
			city: 'Paris',
			unit: 'celsius'
		});
		expect(lastBody().tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });

		await c.getByRole('textbox', { name: 'Result for get_weather' }).first().fill('{"temp": 21}');
		await c.getByRole('textbox', { name: 'Result for get_weather' }).nth(1).fill('{"temp": 18}');
		await c.getByRole('button', { name: 'Submit tool results', exact: true }).click();
		const next = await settled(s.page, 1);
		expect(await next.locator('[data-part="content"]').innerText()).toContain('Tool said');
		const messages = lastBody().messages;
		expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
		expect(messages[1]?.tool_calls).toHaveLength(2);
		expect(messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_0', content: '{"temp": 21}' });
	});
});

describe('structured output', () => {
	it('checks the answer against the schema and says so', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'json');
		const c = column(s.page, 1);
		await openParams(c);
		await c
			.getByRole('combobox', { name: 'Response format', exact: true })
			.selectOption('json_schema');
		await c
			.getByRole('textbox', { name: 'JSON schema', exact: true })
			.fill(
				'{"name":"a","schema":{"type":"object","properties":{"answer":{"type":"number"}},"required":["answer"]}}'
			);
		await send(s.page, 'the answer?');
		const ok = await settled(s.page, 1);
		expect(await ok.locator('[data-part="schema-check"]').getAttribute('data-valid')).toBe('true');
		expect(lastBody().response_format).toMatchObject({
			type: 'json_schema',
			json_schema: { name: 'a' }
		});

		await c
			.getByRole('textbox', { name: 'JSON schema', exact: true })
			.fill('{"type":"object","required":["verdict"]}');
		await send(s.page, 'again');
		const bad = await settled(s.page, 1);
		const verdict = bad.locator('[data-part="schema-check"]');
		expect(await verdict.getAttribute('data-valid')).toBe('false');
		expect(await verdict.innerText()).toContain('verdict');
	});
});

describe('images', () => {
	it('sends an attached file as a data URL part and a pasted URL as a URL part, with thumbnails', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		const png = Buffer.from(
			'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
			'base64'
		);
		await s.page
			.getByLabel('Attach image', { exact: true })
			.setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
		await s.page.getByRole('button', { name: 'Link an image', exact: true }).click();
		await s.page
			.getByRole('textbox', { name: 'Image URL', exact: true })
			.fill('https://example.com/cat.png');
		await s.page.getByRole('button', { name: 'Add image URL', exact: true }).click();
		gateway.clear();
		await send(s.page, 'what is in these?');
		await settled(s.page, 1);
		const content = lastBody().messages[0]?.content as Array<Record<string, unknown>>;
		expect(content[0]).toEqual({ type: 'text', text: 'what is in these?' });
		expect((content[1]?.image_url as { url: string }).url).toBe(
			`data:image/png;base64,${png.toString('base64')}`
		);
		expect(content[2]).toEqual({
			type: 'image_url',
			image_url: { url: 'https://example.com/cat.png' }
		});
		const thumb = column(s.page, 1).locator('[data-message-role="user"] img.thumb');
		expect(await thumb.count()).toBe(1);
		expect(await thumb.getAttribute('src')).toMatch(/^blob:/);
		// The remote image is shown as its URL, not fetched.
		expectClean(s);
	});
});

describe('the wire', () => {
	it('shows the exact request with the key masked, and the SSE transcript with arrival times', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-secret-12345');
		await send(s.page, 'raw please');
		await settled(s.page, 1);
		const c = column(s.page, 1);
		await c.getByRole('button', { name: 'Raw request', exact: true }).click();
		const raw = c.locator('[data-part="raw-request"]');
		const text = await raw.innerText();
		expect(text).toContain(`POST ${gateway.url}/v1/chat/completions`);
		expect(text).not.toContain('sk-secret-12345');
		expect(text).toContain('"raw please"');
		expect(await raw.locator('[data-part="raw-response"]').innerText()).toMatch(
			/\[\+\d+ ms\] \{"id":"chatcmpl-test"/
		);
		await c.getByRole('checkbox', { name: 'Reveal API key', exact: true }).check();
		expect(await raw.innerText()).toContain('Bearer sk-secret-12345');
	});

	it('exports a cURL command that makes the very request the app made', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-curl');
		const c = column(s.page, 1);
		await c
			.getByRole('textbox', { name: 'System prompt', exact: true })
			.fill('It\'s a "test"\nwith lines — ✓');
		await send(s.page, 'curl me');
		await settled(s.page, 1);
		const appRequest = gateway.chatRequests().at(-1);
		await c.getByRole('button', { name: 'Code', exact: true }).click();
		const code = c.locator('[data-part="code-export"]');
		const curl = await code.locator('pre').innerText();
		expect(curl).not.toContain('sk-curl');
		gateway.clear();
		await run('bash', ['-c', `${curl} > /dev/null`], {
			env: { ...process.env, OPENAI_API_KEY: 'sk-curl' }
		});
		const curlRequest = gateway.chatRequests().at(-1);
		expect(curlRequest?.body).toEqual(appRequest?.body);
		expect(curlRequest?.headers.authorization).toBe(appRequest?.headers.authorization);
		for (const tab of ['JavaScript', 'Python (openai)', 'Python (requests)']) {
			await code.getByRole('tab', { name: tab, exact: true }).click();
			const text = await code.locator('pre').innerText();
			expect(text).toContain('OPENAI_API_KEY');
			expect(text).not.toContain('sk-curl');
		}
	});
});

describe('editing', () => {
	it('edits and resends, regenerates, deletes and forks', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		const c = column(s.page, 1);
		await send(s.page, 'original');
		await settled(s.page, 1);
		await c
			.locator('[data-message-role="user"]')
			.getByRole('button', { name: 'Edit', exact: true })
			.click();
		await c.getByRole('textbox', { name: 'Edit message', exact: true }).fill('edited');
		await c.getByRole('button', { name: 'Save and resend', exact: true }).click();
		const answer = await settled(s.page, 1);
		expect(await answer.locator('[data-part="content"]').innerText()).toContain('You said: edited');
		expect(await c.locator('[data-message-role]').count()).toBe(2);

		gateway.clear();
		await answer.getByRole('button', { name: 'Regenerate', exact: true }).click();
		await settled(s.page, 1);
		expect(gateway.chatRequests()).toHaveLength(1);
		expect(await c.locator('[data-message-role="assistant"]').count()).toBe(1);

		await c
			.locator('[data-message-role="user"]')
			.getByRole('button', { name: 'Fork from here', exact: true })
			.click();
		await expect
			.poll(() =>
				s.page.getByRole('navigation', { name: 'History' }).getByRole('link').first().innerText()
			)
			.toMatch(/^Fork of/);
		expect(await column(s.page, 1).locator('[data-message-role]').count()).toBe(1);

		await column(s.page, 1)
			.locator('[data-message-role="user"]')
			.getByRole('button', { name: 'Delete message', exact: true })
			.click();
		expect(await column(s.page, 1).locator('[data-message-role]').count()).toBe(0);
	});
});
