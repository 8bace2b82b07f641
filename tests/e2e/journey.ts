/** Steps shared by the journeys, phrased as a user acts: by accessible names from ui-contract.md. */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type Session } from './harness.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';

/**
 * Per test file: a gateway on 127.0.0.1 and sessions that may talk to it (and to nothing else).
 * `gateway` is a getter: it exists once beforeAll has run.
 */
export function useJourney() {
	let gateway: Gateway | undefined;
	const sessions: Session[] = [];
	beforeAll(async () => {
		gateway = await startGateway();
	});
	afterAll(async () => {
		await Promise.all(sessions.map((s) => s.close()));
		await gateway?.close();
	});
	const gw = (): Gateway => {
		if (!gateway) throw new Error('gateway not started');
		return gateway;
	};
	return {
		gateway: gw,
		async open(opts: Parameters<typeof openApp>[0] = {}): Promise<Session> {
			const session = await openApp({ allowedHosts: [new URL(gw().url).host], ...opts });
			sessions.push(session);
			return session;
		}
	};
}

/** No CSP violation and no request to a host other than the app's and the gateway's. */
export function expectClean(session: Session) {
	expect(session.cspViolations).toEqual([]);
	expect(session.foreignRequests).toEqual([]);
}

export function column(page: Page, n: number): Locator {
	return page.getByRole('region', { name: `Column ${n}`, exact: true });
}

/**
 * Open a column's endpoint popover (the button whose name starts with `Endpoint`, as
 * ui-contract.md allows) unless it is open; any click elsewhere closes it again.
 */
export async function openEndpoint(c: Locator): Promise<Locator> {
	const chip = c.getByRole('button', { name: /^Endpoint/ });
	const popover = c.getByRole('dialog', { name: /^Endpoint of column/ });
	if (!(await popover.isVisible())) await chip.click();
	await popover.waitFor();
	return c;
}

/** Language, theme, Export and Import live in the Settings dialog. */
export async function openSettings(page: Page): Promise<Locator> {
	await page.getByRole('button', { name: 'Settings', exact: true }).click();
	return page.getByRole('dialog', { name: 'Settings', exact: true });
}

/** Point column n at an endpoint and model, as a user pasting from a gateway's docs. */
export async function connect(page: Page, n: number, baseUrl: string, model: string, key = '') {
	const c = await openEndpoint(column(page, n));
	await c.getByRole('textbox', { name: 'Base URL', exact: true }).fill(baseUrl);
	await c.getByLabel('API key', { exact: true }).fill(key);
	await modelField(c).fill(model);
}

/** `Model` is a textbox or, with suggestions, a combobox (ui-contract.md allows both). */
export function modelField(c: Locator): Locator {
	return c
		.getByRole('combobox', { name: 'Model', exact: true })
		.or(c.getByRole('textbox', { name: 'Model', exact: true }));
}

export async function send(page: Page, text: string) {
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
}

export function lastAnswer(page: Page, n: number): Locator {
	return column(page, n).locator('[data-message-role="assistant"]').last();
}

/** Wait until column n's last answer has settled (finished, stopped or failed) and return it. */
export async function settled(page: Page, n: number, timeout = 20_000): Promise<Locator> {
	const answer = lastAnswer(page, n);
	await answer.waitFor({ timeout });
	await expect.poll(() => answer.getAttribute('aria-busy'), { timeout }).toBe('false');
	return answer;
}

/**
 * Everything the app had to write is on disk: `.app` carries `data-saved="true"` when no write
 * is scheduled or in flight (it turns false in the same step that asks for a write). Wait for it
 * before a reload that must find what was on screen.
 */
export async function saved(page: Page, timeout = 10_000): Promise<void> {
	await page.locator('.app[data-saved="true"]').waitFor({ state: 'attached', timeout });
}

/**
 * The streaming answer's text seen so far is on disk. `.app` counts in `data-answer-writes` the
 * throttled writes of streaming answers that have finished; two more than now means one that
 * began after this text was seen has finished (the first may have begun before it arrived).
 */
export async function answerSaved(page: Page, timeout = 10_000): Promise<void> {
	const app = page.locator('.app');
	const writes = async () => Number((await app.getAttribute('data-answer-writes')) ?? NaN);
	const seen = await writes();
	expect(seen, 'data-answer-writes on .app').not.toBeNaN();
	await expect.poll(writes, { timeout }).toBeGreaterThanOrEqual(seen + 2);
}

/** A gateway model that streams exactly this markdown. */
export function markdownModel(text: string): string {
	return `markdown:${Buffer.from(text).toString('base64url')}`;
}
