/**
 * Issue 11, secrets and endpoint checks: keys stay out of views, exports and backups, a key goes
 * only where and when the user sends it, and what a browser would refuse is named, not sent.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import {
	column,
	connect,
	expectClean,
	modelField,
	openEndpoint,
	openSettings,
	saved,
	send,
	settled,
	useJourney
} from './journey.ts';
import type { Session } from './harness.ts';
import type { Gateway } from '../gateway/server.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

const TOKEN = 'tok-extra-0123456789';
const COOKIE = 'sid=cookie-secret-987654321';

async function openParams(c: Locator) {
	await c.getByRole('button', { name: 'Parameters', exact: true }).click();
}

/** The raw request and every code export tab, as the user sees them. */
async function shownRequest(c: Locator): Promise<string[]> {
	await c.getByRole('button', { name: 'Raw request', exact: true }).click();
	const texts = [await c.locator('[data-part="raw-request"]').innerText()];
	await c.getByRole('button', { name: 'Code', exact: true }).click();
	const code = c.locator('[data-part="code-export"]');
	for (const tab of ['cURL', 'JavaScript', 'Python (openai)', 'Python (requests)']) {
		await code.getByRole('tab', { name: tab, exact: true }).click();
		texts.push(await code.locator('pre').innerText());
	}
	return texts;
}

async function expectNothingSent(s: Session, text: string) {
	gateway.clear();
	await send(s.page, text);
	expect(await s.page.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toBe(
		text
	);
	await saved(s.page);
	expect(gateway.requests).toEqual([]);
}

describe('secret extra headers', () => {
	it('are masked in the raw view and the code export, and left out of a backup without keys', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-main-key-0000');
		const c = column(s.page, 1);
		await openParams(c);
		await c
			.getByRole('textbox', { name: 'Extra headers', exact: true })
			.fill(`X-Custom-Token: ${TOKEN}\nCookie: ${COOKIE}\nX-Org: acme`);
		await send(s.page, 'with headers');
		await settled(s.page, 1);
		expect(gateway.chatRequests().at(-1)?.headers['x-custom-token']).toBe(TOKEN);

		const [raw, curl, ...others] = await shownRequest(c);
		for (const text of [raw, curl, ...others]) {
			expect(text).not.toContain(TOKEN);
			expect(text).not.toContain('cookie-secret');
			expect(text).toContain('acme');
		}
		expect(raw).toContain('X-Custom-Token: tok…6789');
		expect(curl).toContain('-H "X-Custom-Token: $X_CUSTOM_TOKEN"');

		const [download] = await Promise.all([
			s.page.waitForEvent('download'),
			(await openSettings(s.page)).getByRole('button', { name: 'Export', exact: true }).click()
		]);
		const backup = readFileSync(await download.path(), 'utf8');
		expect(backup).toContain('X-Org: acme');
		expect(backup).not.toContain(TOKEN);
		expect(backup).not.toContain('cookie-secret');
		expect(backup).not.toContain('sk-main-key');
		expectClean(s);
	});
});

describe('the key shown is the key sent', () => {
	it('after the key is changed or cleared, the views still mask the key that was sent', async () => {
		const s = await journey.open();
		const sent = 'sk-sent-aaaa-1111';
		const next = 'sk-next-bbbb-2222';
		await connect(s.page, 1, gateway.url, 'echo', sent);
		const c = await openEndpoint(column(s.page, 1));
		// A header name that does not say "key": only knowing what was sent can mask it.
		await c.getByLabel('Send key as', { exact: true }).selectOption('header');
		await c.getByLabel('Key header name', { exact: true }).fill('X-Gateway-Auth');
		await send(s.page, 'first');
		await settled(s.page, 1);
		expect(gateway.chatRequests().at(-1)?.headers['x-gateway-auth']).toBe(sent);

		for (const key of [next, '']) {
			await (await openEndpoint(c)).getByLabel('API key', { exact: true }).fill(key);
			for (const text of await shownRequest(c)) {
				expect(text).not.toContain(sent);
				expect(text).not.toContain(next);
			}
		}
		expectClean(s);
	});
});

describe('a base URL with credentials', () => {
	it('is refused next to the field, and nothing is sent', async () => {
		const s = await journey.open();
		const withCredentials = gateway.url.replace('http://', 'http://user:pass@');
		await connect(s.page, 1, withCredentials, 'echo', 'sk-x');
		const c = column(s.page, 1);
		expect(await c.locator('[data-part="resolved-url"]').innerText()).toMatch(
			/Remove the user name and password from the URL/
		);
		await expectNothingSent(s, 'hello');
		await openEndpoint(c);
		expect(await c.locator('[data-part="resolved-url"]').innerText()).toMatch(
			/Remove the user name and password/
		);
		expect(await c.getByRole('textbox', { name: 'Base URL', exact: true }).inputValue()).toBe(
			withCredentials
		);
	});
});

describe('what HTTP headers cannot carry', () => {
	it('names a zero-width space in the key next to the field, and sends nothing', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-abcdefgh\u200bijk');
		const c = column(s.page, 1);
		const dialog = c.getByRole('dialog', { name: /^Endpoint of column/ });
		expect(await dialog.locator('[data-part="field-error"]').innerText()).toBe(
			'The API key contains a zero-width space (U+200B) at position 12: HTTP headers allow only visible ASCII.'
		);
		expect(await c.getByLabel('API key', { exact: true }).getAttribute('aria-invalid')).toBe(
			'true'
		);
		// Opening the model picker (as connect did) names it too, rather than "could not reach".
		expect(await dialog.locator('[data-part="models-error"]').innerText()).toMatch(
			/zero-width space \(U\+200B\) at position 12/
		);
		await expectNothingSent(s, 'hello');
	});

	it('names a CJK character in an extra header, and sends nothing', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-ok');
		const c = column(s.page, 1);
		await openParams(c);
		await c.getByRole('textbox', { name: 'Extra headers', exact: true }).fill('X-Team: 团队');
		expect(await c.locator('[data-part="field-error"]').innerText()).toBe(
			'Line 1: X-Team contains “团” (U+56E2) at position 9: HTTP headers allow only visible ASCII.'
		);
		await expectNothingSent(s, 'hello');
	});

	it('refuses an idle timeout past a day next to the field, and sends nothing', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-ok');
		const c = column(s.page, 1);
		await openParams(c);
		const timeout = c.getByLabel(/^Idle timeout/);
		await timeout.fill('2147484');
		await timeout.press('Tab');
		expect(await c.locator('[data-part="field-error"]').innerText()).toBe(
			'Enter 0 (no limit) to 86400 seconds (a day).'
		);
		await expectNothingSent(s, 'hello');
		expect(await timeout.inputValue()).toBe('2147484');
	});
});

describe('the key goes only where the user sends it', () => {
	it('typing a base URL or a key fetches nothing; opening the model picker fetches the list once, with the key', async () => {
		const s = await journey.open();
		// A fake clock, run forward by hand: whatever timer typing starts (a debounce) fires.
		await s.page.clock.install();
		const c = await openEndpoint(column(s.page, 1));
		const key = c.getByLabel('API key', { exact: true });
		await key.fill('sk-first-1234');
		const baseUrl = c.getByRole('textbox', { name: 'Base URL', exact: true });
		await baseUrl.fill('');
		gateway.clear();
		await baseUrl.pressSequentially(`${gateway.url}/v1`);
		await s.page.clock.runFor(5_000);
		await saved(s.page);
		await key.fill('sk-typed-5678');
		await s.page.clock.runFor(5_000);
		await saved(s.page);
		expect(gateway.requests).toEqual([]);

		await modelField(c).click();
		// The key makes it a CORS request with a preflight (OPTIONS): one GET is the one fetch.
		const gets = () => gateway.requests.filter((r) => r.method === 'GET');
		await expect.poll(() => gets().length).toBeGreaterThan(0);
		await saved(s.page);
		// A fetch typing started would have reached the gateway before this one.
		expect(gets().map((r) => [r.path, r.headers.authorization])).toEqual([
			['/v1/models', 'Bearer sk-typed-5678']
		]);
		expectClean(s);
	});
});
