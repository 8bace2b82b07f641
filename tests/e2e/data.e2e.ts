/**
 * Issue 10's data bugs, seen from the page: the URL names the conversation on screen, and an
 * answer's labels follow the language.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	column,
	connect,
	expectClean,
	markdownModel,
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

const hashOf = (page: Page) => new URL(page.url()).hash;

describe('the URL names the conversation on screen', () => {
	it('after opening one from History, New chat drops its link, so a reload opens the new chat', async () => {
		const s = await journey.open();
		const nav = s.page.getByRole('navigation', { name: 'History' });
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'First chat');
		await settled(s.page, 1);
		await expect.poll(() => hashOf(s.page)).toMatch(/^#\/c\/\w+$/);
		const first = hashOf(s.page);

		await s.page.getByRole('button', { name: 'New chat', exact: true }).click();
		expect(hashOf(s.page)).toBe('');
		await send(s.page, 'Second chat');
		await settled(s.page, 1);
		await expect.poll(() => hashOf(s.page)).toMatch(/^#\/c\/\w+$/);
		expect(hashOf(s.page)).not.toBe(first);

		await nav.getByRole('link', { name: 'First chat' }).click();
		await expect.poll(() => hashOf(s.page)).toBe(first);
		await s.page.getByRole('button', { name: 'New chat', exact: true }).click();
		expect(hashOf(s.page)).toBe('');

		await s.page.reload();
		await s.page.locator('.app[data-ready="true"]').waitFor();
		await expect
			.poll(() => nav.getByRole('link').allInnerTexts())
			.toEqual(['Second chat', 'First chat']);
		expect(await column(s.page, 1).locator('[data-message-role]').count()).toBe(0);
		expect(hashOf(s.page)).toBe('');
		expectClean(s);
	});
});

describe('an answer’s labels follow the language', () => {
	it('switches the code block’s Copy button and the remote-image placeholder', async () => {
		const s = await journey.open();
		const markdown = 'Look:\n\n```js\nlet a = 1;\n```\n\n![cat](https://images.example/cat.png)\n';
		await connect(s.page, 1, gateway.url, markdownModel(markdown));
		await send(s.page, 'show me');
		await settled(s.page, 1);
		// Not inside `Column 1`: that name is translated too.
		const copy = s.page.locator('[data-copy-code]');
		const remote = s.page.locator('[data-remote-image]');
		await expect.poll(() => copy.innerText()).toBe('Copy');
		expect(await remote.innerText()).toContain('Image from another site');

		const settings = await openSettings(s.page);
		await settings.getByLabel('Language').selectOption('zh-CN');
		await expect.poll(() => copy.innerText()).toBe('复制');
		expect(await remote.innerText()).toContain('来自其他站点的图片');
		expect(await remote.innerText()).not.toContain('Image from another site');
		expectClean(s);
	});
});
