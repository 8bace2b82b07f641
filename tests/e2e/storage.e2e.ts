/** Issue 6, storage: quota, other tabs, backup. Nothing on screen is lost. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	column,
	connect,
	openEndpoint,
	openSettings,
	send,
	settled,
	useJourney
} from './journey.ts';
import type { Gateway } from '../gateway/server.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

describe('backup', () => {
	it('exports everything without keys, imports it elsewhere, and refuses a broken file whole', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-not-exported');
		await column(s.page, 1).getByRole('textbox', { name: 'Preset name', exact: true }).fill('Mine');
		await column(s.page, 1).getByRole('button', { name: 'Save preset', exact: true }).click();
		await send(s.page, 'Keep me safe');
		await settled(s.page, 1);
		const settings = await openSettings(s.page);
		const [download] = await Promise.all([
			s.page.waitForEvent('download'),
			settings.getByRole('button', { name: 'Export', exact: true }).click()
		]);
		const file = await download.path();
		const text = readFileSync(file, 'utf8');
		const backup = JSON.parse(text) as { format: string; version: number; messages: unknown[] };
		expect(backup.format).toBe('switchboard-backup');
		expect(backup.version).toBe(3);
		expect(backup.messages).toHaveLength(2);
		expect(text).not.toContain('sk-not-exported');

		const fresh = await journey.open();
		const nav = fresh.page.getByRole('navigation', { name: 'History' });
		expect(await nav.getByRole('link').count()).toBe(0);
		await (await openSettings(fresh.page)).getByLabel('Import', { exact: true }).setInputFiles({
			name: 'broken.json',
			mimeType: 'application/json',
			buffer: Buffer.from(text.slice(0, text.length / 2))
		});
		await expect
			.poll(() => fresh.page.locator('[data-part="import-result"]').innerText())
			.toMatch(/Nothing was imported/);
		expect(await nav.getByRole('link').count()).toBe(0);

		await (await openSettings(fresh.page)).getByLabel('Import', { exact: true }).setInputFiles({
			name: 'good.json',
			mimeType: 'application/json',
			buffer: Buffer.from(text)
		});
		await expect.poll(() => nav.getByRole('link').allInnerTexts()).toEqual(['Keep me safe']);
		await nav.getByRole('link', { name: 'Keep me safe' }).click();
		await expect
			.poll(() => column(fresh.page, 1).locator('[data-message-role="assistant"]').innerText())
			.toContain('You said: Keep me safe');
		await (
			await openEndpoint(column(fresh.page, 1))
		)
			.getByRole('combobox', { name: 'Preset', exact: true })
			.selectOption({ label: 'Mine' });
		expect(await column(fresh.page, 1).getByLabel('API key', { exact: true }).inputValue()).toBe(
			''
		);
	});
});

describe('quota and other tabs', () => {
	it('says storage is full and keeps the answer on screen', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'before the quota');
		await settled(s.page, 1);
		// Chromium's quota override (CDP Storage.overrideQuotaForOrigin) is not enforced on
		// IndexedDB writes in this build, so every write now fails as a full disk makes it fail.
		await s.page.evaluate(() => {
			for (const method of ['put', 'add'] as const) {
				IDBObjectStore.prototype[method] = () => {
					throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
				};
			}
		});
		await send(s.page, 'after the quota');
		const answer = await settled(s.page, 1);
		expect(await answer.locator('[data-part="content"]').innerText()).toContain(
			'You said: after the quota'
		);
		await expect
			.poll(() => s.page.locator('[data-part="storage-error"]').innerText())
			.toMatch(/Storage is full/);
	});

	it('closes its connection when another tab upgrades the database, and asks to reload', async () => {
		const s = await journey.open();
		const other = await s.context.newPage();
		await other.goto(s.appUrl);
		await other.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const req = indexedDB.open('switchboard', 10_000);
					req.onsuccess = () => {
						req.result.close();
						resolve();
					};
					req.onerror = () => reject(req.error);
				})
		);
		await expect
			.poll(() => s.page.getByRole('alert').filter({ hasText: 'another tab' }).count())
			.toBe(1);
	});

	it('asks for persistent storage and shows the answer', async () => {
		const s = await journey.open();
		const settings = await openSettings(s.page);
		await expect.poll(() => settings.locator('[data-part="persistence"]').innerText()).not.toBe('');
	});
});
