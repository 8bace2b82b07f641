/** Issue 9: a workspace where the answers come first, on a laptop and on a phone. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
	column,
	connect,
	expectClean,
	lastAnswer,
	markdownModel,
	openEndpoint,
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

/** Pixels of `el` inside the window (0 when it is out of view). */
async function visibleHeight(page: Page, el: Locator): Promise<number> {
	const box = await el.boundingBox();
	const view = page.viewportSize();
	if (!box || !view) return 0;
	return Math.max(0, Math.min(box.y + box.height, view.height) - Math.max(box.y, 0));
}

/** The newest text: the bottom of the column's last message is inside its thread's view. */
async function newestTextInView(c: Locator): Promise<boolean> {
	return c.evaluate((col) => {
		const scroller = col.querySelector('.thread-scroll');
		const messages = col.querySelectorAll('[data-message-role]');
		const last = messages[messages.length - 1];
		if (!scroller || !last) return false;
		const view = scroller.getBoundingClientRect();
		const text = last.getBoundingClientRect();
		return text.bottom <= view.bottom + 2 && text.bottom >= view.top;
	});
}

const long = (title: string) =>
	`# ${title}\n\n` +
	Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of ${title}, long enough to wrap.`).join(
		'\n\n'
	);

describe('answers where the eye is', () => {
	it('shows the latest answer of each of four columns after Send at 1440×900', async () => {
		const s = await journey.open({ viewport: { width: 1440, height: 900 } });
		for (let i = 0; i < 3; i++)
			await s.page.getByRole('button', { name: 'Add column', exact: true }).click();
		for (const n of [1, 2, 3, 4]) await connect(s.page, n, gateway.url, 'echo');
		// A long history first, so an answer at the bottom would be out of view without following.
		await connect(s.page, 1, gateway.url, markdownModel(long('History')));
		await send(s.page, 'first');
		for (const n of [1, 2, 3, 4]) await settled(s.page, n);
		for (const n of [1, 2, 3, 4]) await connect(s.page, n, gateway.url, 'echo');
		await send(s.page, 'second');
		for (const n of [1, 2, 3, 4]) {
			const answer = await settled(s.page, n);
			expect(await answer.innerText()).toContain('You said: second');
			expect(await visibleHeight(s.page, answer)).toBeGreaterThan(20);
		}
		// The prompt of the latest turn starts at the same height in every column.
		const tops = await Promise.all(
			[1, 2, 3, 4].map(async (n) => {
				const prompt = column(s.page, n).locator('[data-message-role="user"]').last();
				return (await prompt.boundingBox())?.y ?? -1;
			})
		);
		expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(4);
		// Focus is back in the message box, ready for the next prompt.
		expect(await s.page.evaluate(() => document.activeElement?.id)).toBe('composer-message');
		expectClean(s);
	});

	it('keeps a streaming answer in view below a long thread, until the user scrolls up', async () => {
		const s = await journey.open({ viewport: { width: 1440, height: 900 } });
		const c = column(s.page, 1);
		await connect(s.page, 1, gateway.url, markdownModel(long('Earlier')));
		await send(s.page, 'one');
		await settled(s.page, 1);
		await send(s.page, 'two');
		await settled(s.page, 1);
		await connect(
			s.page,
			1,
			gateway.url,
			`chunked:4:${Buffer.from(long('Streaming')).toString('base64url')}`
		);
		await send(s.page, 'three');
		const answer = lastAnswer(s.page, 1);
		await answer.waitFor();
		let samples = 0;
		while ((await answer.getAttribute('aria-busy')) === 'true') {
			expect(await newestTextInView(c), `sample ${samples}`).toBe(true);
			samples++;
			await s.page.waitForTimeout(50);
		}
		expect(samples).toBeGreaterThan(2);
		expect(await newestTextInView(c)).toBe(true);

		// Scrolling up stops following; "Jump to latest" brings the newest text back.
		await c.locator('.thread-scroll').hover();
		await s.page.mouse.wheel(0, -3000);
		const jump = c.getByRole('button', { name: 'Jump to latest', exact: true });
		await jump.waitFor();
		expect(await newestTextInView(c)).toBe(false);
		await jump.click();
		await expect.poll(() => newestTextInView(c)).toBe(true);
		expect(await jump.count()).toBe(0);
	});

	it('shows the answer at 390×844, with a one-row header', async () => {
		const s = await journey.open({ viewport: { width: 390, height: 844 } });
		await send(s.page, 'Hello from a phone');
		const answer = await settled(s.page, 1);
		expect(await visibleHeight(s.page, answer)).toBeGreaterThan(100);
		const header = await s.page.locator('header.header').boundingBox();
		expect(header?.height).toBeLessThanOrEqual(56);
		// Message box and Send stay reachable without scrolling the page.
		const sendButton = await s.page
			.getByRole('button', { name: 'Send', exact: true })
			.boundingBox();
		expect((sendButton?.y ?? 1e9) + (sendButton?.height ?? 0)).toBeLessThanOrEqual(844);
	});
});

describe('settings one click away, never over the answers', () => {
	it('opens Parameters at the side: the thread keeps its place and its width', async () => {
		const s = await journey.open({ viewport: { width: 1440, height: 900 } });
		await send(s.page, 'Tune me');
		const answer = await settled(s.page, 1);
		const before = await answer.boundingBox();
		const c = column(s.page, 1);
		await c.getByRole('button', { name: 'Parameters', exact: true }).click();
		const panel = c.locator('[data-panel="params"]');
		await panel.waitFor();
		expect(await panel.locator('[data-part="panel-column"]').innerText()).toContain('Column 1');
		const after = await answer.boundingBox();
		const side = await panel.boundingBox();
		// The answer did not move down, and the panel sits beside it rather than over it.
		expect(Math.abs((after?.y ?? 0) - (before?.y ?? 0))).toBeLessThan(2);
		expect((after?.x ?? 0) + (after?.width ?? 0)).toBeLessThanOrEqual((side?.x ?? 0) + 1);

		// A ranged parameter: a default, not a value; set it, see it sent; reset it.
		const temperature = c.getByRole('textbox', { name: 'Temperature', exact: true });
		expect(await temperature.inputValue()).toBe('');
		expect(await temperature.getAttribute('placeholder')).toBe('default 1');
		const field = c.locator('[data-param="temperature"]');
		expect(await field.locator('[data-part="param-state"]').innerText()).toBe('not sent');
		await temperature.fill('0.4');
		expect(await field.locator('[data-part="param-state"]').innerText()).toBe('sent');
		await connect(s.page, 1, gateway.url, 'echo');
		gateway.clear();
		await send(s.page, 'with temperature');
		await settled(s.page, 1);
		expect((gateway.chatRequests()[0]?.body as { temperature?: number }).temperature).toBe(0.4);
		await field.getByRole('button', { name: 'Reset', exact: true }).click();
		expect(await temperature.inputValue()).toBe('');
		gateway.clear();
		await send(s.page, 'without');
		await settled(s.page, 1);
		expect(gateway.chatRequests()[0]?.body).not.toHaveProperty('temperature');
		expectClean(s);
	});

	it('shows a problem on the endpoint chip without opening it', async () => {
		const s = await journey.open();
		const c = column(s.page, 1);
		await connect(s.page, 1, 'not a url', 'echo');
		await s.page.keyboard.press('Escape');
		const chip = c.getByRole('button', { name: /^Endpoint/ });
		expect(await chip.getAttribute('aria-expanded')).toBe('false');
		expect(await chip.getAttribute('aria-label')).toMatch(/URL/);
		await connect(s.page, 1, gateway.url, 'echo');
		await s.page.keyboard.press('Escape');
		expect(await chip.getAttribute('aria-label')).toBe(
			`Endpoint: ${new URL(gateway.url).host}, model echo`
		);
	});
});

describe('presets you can manage', () => {
	it('renames, duplicates and deletes presets (with undo), across a reload', async () => {
		const s = await journey.open();
		const c = column(s.page, 1);
		await connect(s.page, 1, gateway.url, 'echo', 'sk-one');
		await c.getByRole('textbox', { name: 'Preset name', exact: true }).fill('Gateway A');
		await c.getByRole('button', { name: 'Save preset', exact: true }).click();
		await c.getByRole('status').filter({ hasText: 'Saved “Gateway A”.' }).waitFor();

		// A change away from the preset is marked.
		await c.getByRole('textbox', { name: 'Base URL', exact: true }).fill(`${gateway.url}/v1`);
		await c.locator('[data-part="preset-modified"]').waitFor();
		await c.getByRole('textbox', { name: 'Base URL', exact: true }).fill(gateway.url);
		await expect.poll(() => c.locator('[data-part="preset-modified"]').count()).toBe(0);

		await c.getByRole('textbox', { name: 'Preset name', exact: true }).fill('Gateway B');
		await c.getByRole('button', { name: 'Rename preset', exact: true }).click();
		await c.getByRole('status').filter({ hasText: 'Renamed to “Gateway B”.' }).waitFor();
		await c.getByRole('button', { name: 'Duplicate preset', exact: true }).click();
		const preset = c.getByRole('combobox', { name: 'Preset', exact: true });
		await expect
			.poll(() => preset.locator('option').allInnerTexts())
			.toEqual(['Custom (not saved)', 'Demo (offline)', 'Gateway B', 'Gateway B (copy)']);

		await s.page.reload();
		await s.page.locator('.app[data-ready="true"]').waitFor();
		const c2 = await openEndpoint(column(s.page, 1));
		const preset2 = c2.getByRole('combobox', { name: 'Preset', exact: true });
		expect(await preset2.locator('option').allInnerTexts()).toContain('Gateway B (copy)');
		await preset2.selectOption({ label: 'Gateway B (copy)' });
		await c2.getByRole('button', { name: 'Delete preset', exact: true }).click();
		await s.page.getByRole('button', { name: 'Undo', exact: true }).click();
		// The click on Undo was outside the popover, which closed it.
		await openEndpoint(c2);
		await expect
			.poll(() => preset2.locator('option').allInnerTexts())
			.toContain('Gateway B (copy)');
		await preset2.selectOption({ label: 'Gateway B (copy)' });
		await c2.getByRole('button', { name: 'Delete preset', exact: true }).click();
		await s.page.reload();
		await s.page.locator('.app[data-ready="true"]').waitFor();
		const c3 = await openEndpoint(column(s.page, 1));
		expect(
			await c3
				.getByRole('combobox', { name: 'Preset', exact: true })
				.locator('option')
				.allInnerTexts()
		).toEqual(['Custom (not saved)', 'Demo (offline)', 'Gateway B']);
	});
});

describe('a calm header', () => {
	it('keeps language, theme and data in Settings; an import result is a notice', async () => {
		const s = await journey.open();
		const header = s.page.locator('header.header');
		expect(await header.getByRole('button', { name: 'Export' }).count()).toBe(0);
		await s.page.getByRole('button', { name: 'Settings', exact: true }).click();
		const dialog = s.page.getByRole('dialog', { name: 'Settings', exact: true });
		await dialog.getByLabel('Theme', { exact: true }).selectOption('dark');
		expect(await s.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
		await dialog.getByLabel('Import', { exact: true }).setInputFiles({
			name: 'nope.json',
			mimeType: 'application/json',
			buffer: Buffer.from('{"format":"other"}')
		});
		const notice = s.page.locator('[data-part="import-result"]');
		await notice.waitFor();
		expect(await dialog.isVisible()).toBe(false);
		await notice.getByRole('button', { name: 'Dismiss', exact: true }).click();
		expect(await notice.count()).toBe(0);
	});

	it('says why Add column does nothing at the limit', async () => {
		const s = await journey.open();
		const add = s.page.getByRole('button', { name: 'Add column', exact: true });
		for (let i = 1; i < 12; i++) await add.click();
		expect(await s.page.getByRole('region', { name: /^Column \d+$/ }).count()).toBe(12);
		await add.click();
		expect(await s.page.getByRole('alert').innerText()).toContain('at most 12 columns');
		expect(await s.page.getByRole('region', { name: /^Column \d+$/ }).count()).toBe(12);
	});
});

describe('message actions', () => {
	it('deletes a message with undo, and labels sweep columns by their value', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'keep or not');
		await settled(s.page, 1);
		const c = column(s.page, 1);
		const user = c.locator('[data-message-role="user"]');
		await user.hover();
		await user.getByRole('button', { name: 'Delete message', exact: true }).click();
		expect(await user.count()).toBe(0);
		await s.page.getByRole('button', { name: 'Undo', exact: true }).click();
		await expect.poll(() => user.count()).toBe(1);

		await c.getByRole('button', { name: 'Column tools', exact: true }).click();
		await c.getByRole('button', { name: 'Make columns', exact: true }).click();
		await expect
			.poll(() => s.page.locator('[data-part="column-label"]').allInnerTexts())
			.toEqual(['temperature 0', 'temperature 0.5', 'temperature 1', 'temperature 1.5']);
	});
});
