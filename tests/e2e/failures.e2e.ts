/** Issue 6, reliability: every way a gateway fails, streamed and not. Text that arrived stays. */
import { beforeAll, describe, expect, it } from 'vitest';
import { column, connect, lastAnswer, send, settled, useJourney } from './journey.ts';
import type { Gateway } from '../gateway/server.ts';
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
		{ name: 'timeout', model: 'slow-headers:4000', stream, says: /timed out/, timeoutSeconds: 1 }
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
		keeps: 'You said'
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
			const answer = await settled(page, 1, 15_000);
			const text = await answer.innerText();
			if (c.says.source !== '^$') expect(text).toMatch(c.says);
			else expect(await answer.locator('[data-part="error"]').count()).toBe(0);
			expect(text).not.toMatch(/Failed to fetch|Unexpected token|undefined/);
			if (c.keeps)
				expect(await answer.locator('[data-part="content"]').innerText()).toContain(c.keeps);
			// Nothing stays streaming: the answer settled promptly once the failure was known.
			expect(Date.now() - started).toBeLessThan(c.timeoutSeconds ? 6000 : 5000);
		});
	}
});
