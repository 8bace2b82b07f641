/** The built app loads from a sub-path of a plain static host, cleanly, and talks to nobody. */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openApp, type Session } from './harness.ts';

const sessions: Session[] = [];
afterAll(async () => {
	await Promise.all(sessions.map((s) => s.close()));
});

describe('smoke', () => {
	it('loads from /playground/ with its title, no CSP violation, no foreign request, no error', async () => {
		const s = await openApp();
		sessions.push(s);
		expect(new URL(s.page.url()).pathname).toBe('/playground/');
		expect(await s.page.title()).toBe('Switchboard');
		expect(s.cspViolations).toEqual([]);
		expect(s.foreignRequests).toEqual([]);
		expect(s.consoleErrors).toEqual([]);
	});

	it('is reached from the host root too', async () => {
		const root = new URL('/', inject('appUrl')).href;
		const s = await openApp();
		sessions.push(s);
		await s.page.goto(root);
		expect(new URL(s.page.url()).pathname).toBe('/playground/');
		await s.page.locator('.app[data-ready="true"]').waitFor();
		expect(await s.page.title()).toBe('Switchboard');
	});
});
