/** Issue 4's journeys: one prompt to many models at once, measured side by side. */
import { beforeAll, describe, expect, it } from 'vitest';
import { column, connect, expectClean, saved, send, settled, useJourney } from './journey.ts';
import type { Gateway } from '../gateway/server.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

describe('compare', () => {
	it('streams one prompt to slow, fast and failing columns at once; a failure holds up no one', async () => {
		const s = await journey.open();
		const add = s.page.getByRole('button', { name: 'Add column', exact: true });
		await add.click();
		await add.click();
		await connect(s.page, 1, gateway.url, 'slow');
		await connect(s.page, 2, gateway.url, 'fast');
		await connect(s.page, 3, gateway.url, 'error-500-text');
		gateway.clear();
		await send(s.page, 'race');
		// The fast column finishes while the slow one is still streaming.
		const fast = await settled(s.page, 2);
		expect(await fast.locator('[data-part="error"]').count()).toBe(0);
		expect(
			await column(s.page, 1).locator('[data-message-role="assistant"]').getAttribute('aria-busy')
		).toBe('true');
		const failed = await settled(s.page, 3);
		expect(await failed.locator('[data-part="error"]').innerText()).toContain('500');
		const slow = await settled(s.page, 1);
		expect(await slow.locator('[data-part="content"]').innerText()).toContain('You said: race');
		// The three requests started together.
		const starts = gateway.chatRequests().map((r) => r.at);
		expect(starts).toHaveLength(3);
		expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(1000);

		// The comparison marks the fastest column.
		const compare = s.page.locator('[data-part="compare"]');
		await expect.poll(() => compare.locator('[data-best="totalMs"]').count()).toBe(1);
		expect(await compare.locator('tr[data-compare-column="2"] [data-best="totalMs"]').count()).toBe(
			1
		);

		// The failed column retries alone.
		await connect(s.page, 3, gateway.url, 'echo');
		gateway.clear();
		await column(s.page, 3).getByRole('button', { name: 'Retry', exact: true }).click();
		const retried = await settled(s.page, 3);
		expect(await retried.locator('[data-part="content"]').innerText()).toContain('You said: race');
		expect(gateway.chatRequests().map((r) => (r.body as { model: string }).model)).toEqual([
			'echo'
		]);
		expectClean(s);
	});

	it('keeps a thread per column, stops one column alone, and reopens with its columns', async () => {
		const s = await journey.open();
		await s.page.getByRole('button', { name: 'Add column', exact: true }).click();
		await connect(s.page, 1, gateway.url, 'echo');
		await connect(s.page, 2, gateway.url, 'slow');
		await send(s.page, 'first turn');
		await settled(s.page, 1);
		await column(s.page, 2).getByRole('button', { name: 'Cancel', exact: true }).click();
		const stopped = await settled(s.page, 2);
		expect(await stopped.getAttribute('aria-busy')).toBe('false');
		await connect(s.page, 2, gateway.url, 'echo');
		await send(s.page, 'second turn');
		await settled(s.page, 1);
		await settled(s.page, 2);
		for (const n of [1, 2])
			expect(await column(s.page, n).locator('[data-message-role="user"]').count()).toBe(2);

		// What settled is on disk once the app says every write has finished.
		await saved(s.page);
		await s.page.reload();
		await expect.poll(() => s.page.getByRole('region').count()).toBe(2);
		expect(await column(s.page, 2).locator('[data-message-role="assistant"]').count()).toBe(2);

		await column(s.page, 2).getByRole('button', { name: 'Remove column', exact: true }).click();
		expect(await s.page.getByRole('region').count()).toBe(1);
	});

	it('turns a column into a temperature sweep and applies a parameter to all columns', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		const c1 = column(s.page, 1);
		await c1.getByRole('button', { name: 'Column tools', exact: true }).click();
		await c1.getByRole('textbox', { name: 'Sweep values', exact: true }).fill('0, 0.5, 1, 1.5');
		await c1.getByRole('button', { name: 'Make columns', exact: true }).click();
		await expect.poll(() => s.page.getByRole('region').count()).toBe(4);
		gateway.clear();
		await send(s.page, 'sweep');
		for (const n of [1, 2, 3, 4]) await settled(s.page, n);
		const temps = gateway
			.chatRequests()
			.map((r) => (r.body as { temperature: number }).temperature)
			.sort();
		expect(temps).toEqual([0, 0.5, 1, 1.5]);

		await c1.getByRole('button', { name: 'Parameters', exact: true }).click();
		await c1.getByRole('textbox', { name: 'Seed', exact: true }).fill('42');
		await c1
			.locator('[data-param="seed"]')
			.getByRole('button', { name: 'Apply to all columns', exact: true })
			.click();
		gateway.clear();
		await send(s.page, 'seeded');
		for (const n of [1, 2, 3, 4]) await settled(s.page, n);
		expect(gateway.chatRequests().map((r) => (r.body as { seed: number }).seed)).toEqual([
			42, 42, 42, 42
		]);
	});

	it('shows columns as tabs on a phone-width screen', async () => {
		const s = await journey.open({ viewport: { width: 380, height: 800 } });
		await s.page.getByRole('button', { name: 'Add column', exact: true }).click();
		const tabs = s.page.getByRole('tab');
		expect(await tabs.count()).toBe(2);
		expect(await column(s.page, 2).isVisible()).toBe(false);
		await tabs.nth(1).click();
		expect(await column(s.page, 2).isVisible()).toBe(true);
		expect(await column(s.page, 1).isVisible()).toBe(false);
	});
});
