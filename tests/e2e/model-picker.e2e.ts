/**
 * Issue 9, point 4: picking one model out of a gateway's 300 with the searchable `Model`
 * combobox, by keyboard and by pointer, while free text stays accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { column, expectClean, send, settled, useJourney } from './journey.ts';
import type { Gateway } from '../gateway/server.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

/** The endpoint fields may sit behind a button named `Endpoint…` (ui-contract.md). */
async function endpointFields(c: Locator): Promise<void> {
	const baseUrl = c.getByRole('textbox', { name: 'Base URL', exact: true });
	if (await baseUrl.isVisible()) return;
	await c
		.getByRole('button', { name: /^Endpoint/ })
		.first()
		.click();
	await baseUrl.waitFor();
}

/** A fresh journey whose first column lists `/catalog-<size>/v1`, its Model box focused. */
async function openCatalog(size: number) {
	const s = await journey.open();
	const page = s.page;
	const c = column(page, 1);
	await endpointFields(c);
	await c
		.getByRole('textbox', { name: 'Base URL', exact: true })
		.fill(`${gateway.url}/catalog-${size}/v1`);
	await c.getByLabel('API key', { exact: true }).fill('');
	const model = c.getByRole('combobox', { name: 'Model', exact: true });
	const list = page.getByRole('listbox', { name: 'Model suggestions', exact: true });
	await model.fill('');
	await model.blur();
	await model.focus();
	return { s, page, c, model, list };
}

describe('model picker', () => {
	it('searches 300 models, picks by keyboard and pointer, keeps free text, sends the pick', async () => {
		const { s, page, c, model, list } = await openCatalog(300);
		// Browsing: the catalog grouped by family, capped, with the rest counted.
		await expect
			.poll(() => list.getByRole('group', { name: 'claude', exact: true }).count(), {
				timeout: 10_000
			})
			.toBe(1);
		expect(await model.getAttribute('aria-expanded')).toBe('true');
		await expect.poll(() => list.getByRole('option').count()).toBe(200);
		await expect.poll(() => page.getByText('100 more — keep typing').isVisible()).toBe(true);

		// Keyboard: type part of a name, ArrowDown + Enter takes the best match.
		await model.pressSequentially('qwen 72b');
		const qwen = list.getByRole('option', { name: 'qwen2.5-72b-instruct', exact: true });
		await qwen.waitFor();
		await model.press('ArrowDown');
		expect(await qwen.getAttribute('aria-selected')).toBe('true');
		expect(await model.getAttribute('aria-activedescendant')).toBe(await qwen.getAttribute('id'));
		await model.press('Enter');
		expect(await model.inputValue()).toBe('qwen2.5-72b-instruct');
		expect(await model.getAttribute('aria-expanded')).toBe('false');

		// Escape closes the list only: the endpoint fields stay open around it.
		await model.press('ArrowDown');
		expect(await model.getAttribute('aria-expanded')).toBe('true');
		await model.press('Escape');
		expect(await model.getAttribute('aria-expanded')).toBe('false');
		expect(await model.isVisible()).toBe(true);

		// Free text: a name the gateway does not list is kept as typed.
		await model.fill('my-private-finetune');
		await page.getByText('No listed model matches; the name you typed is sent as is').waitFor();
		await model.press('Tab');
		expect(await model.inputValue()).toBe('my-private-finetune');

		// Pointer: a click on an option picks it and closes the list.
		await endpointFields(c);
		await model.fill('gemini 1.5 pro');
		await list.getByRole('option', { name: 'google/gemini-1.5-pro', exact: true }).click();
		expect(await model.inputValue()).toBe('google/gemini-1.5-pro');
		expect(await model.getAttribute('aria-expanded')).toBe('false');

		gateway.clear();
		await send(page, 'hello catalog');
		const answer = await settled(page, 1);
		expect(await answer.locator('[data-part="content"]').innerText()).toContain(
			'You said: hello catalog'
		);
		const [req] = gateway.chatRequests();
		expect(req?.path).toBe('/catalog-300/v1/chat/completions');
		expect((req?.body as { model?: string }).model).toBe('google/gemini-1.5-pro');
		expectClean(s);
	});

	it('opens, narrows and picks among 200,000 models, and the request uses the pick', async () => {
		const { s, page, c, model, list } = await openCatalog(200000);

		// The list opens on the catalog, capped, the rest counted.
		await expect.poll(() => list.getByRole('option').count(), { timeout: 30_000 }).toBe(200);
		await page.getByText('199800 more — keep typing').waitFor({ timeout: 30_000 });

		// Typing narrows it to the wanted fine-tune, first; Enter picks it.
		const wanted = 'mistralai/codestral:ft-1';
		await model.pressSequentially('codestral:ft-1');
		const option = list.getByRole('option', { name: wanted, exact: true });
		await option.waitFor({ timeout: 30_000 });
		await expect.poll(() => list.getByRole('option').first().innerText()).toBe(wanted);
		await model.press('ArrowDown');
		expect(await option.getAttribute('aria-selected')).toBe('true');
		await model.press('Enter');
		expect(await model.inputValue()).toBe(wanted);
		expect(await model.getAttribute('aria-expanded')).toBe('false');

		// A click picks just as well.
		await endpointFields(c);
		await model.fill('gpt-4o-mini:ft-0');
		await list.getByRole('option', { name: 'openai/gpt-4o-mini:ft-0', exact: true }).click();
		expect(await model.inputValue()).toBe('openai/gpt-4o-mini:ft-0');

		gateway.clear();
		await send(page, 'hello big catalog');
		const answer = await settled(page, 1);
		expect(await answer.locator('[data-part="content"]').innerText()).toContain(
			'You said: hello big catalog'
		);
		const [req] = gateway.chatRequests();
		expect(req?.path).toBe('/catalog-200000/v1/chat/completions');
		expect((req?.body as { model?: string }).model).toBe('openai/gpt-4o-mini:ft-0');
		expectClean(s);
	}, 120_000);
});
