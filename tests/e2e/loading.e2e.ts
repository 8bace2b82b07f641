/** What loads on demand (the markdown renderer, the Chinese strings) never shows a gap. */
import { describe, expect, it } from 'vitest';
import {
	connect,
	expectClean,
	lastAnswer,
	markdownModel,
	send,
	settled,
	useJourney
} from './journey.ts';

const { gateway, open } = useJourney();

describe('the markdown renderer, loaded on first use', () => {
	it('an answer shows its text as written until the renderer arrives, then renders it', async () => {
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let asked = 0;
		const s = await open({
			before: (context) =>
				context.route(/\/assets\/Markdown-[\w-]+\.js$/, async (route) => {
					asked++;
					await held;
					await route.continue();
				})
		});
		await connect(s.page, 1, gateway().url, markdownModel('Some **bold** words.'));
		await send(s.page, 'hello');
		const answer = await settled(s.page, 1);
		expect(asked).toBeGreaterThan(0);
		const content = answer.locator('[data-part="content"]');
		expect(await content.innerText()).toBe('Some **bold** words.');
		expect(await answer.locator('strong').count()).toBe(0);

		release();
		await expect.poll(() => lastAnswer(s.page, 1).locator('strong').count()).toBe(1);
		expect(await answer.locator('strong').innerText()).toBe('bold');
		expect(await content.getAttribute('data-rendered')).toBe('true');
		expectClean(s);
	});
});

describe('the Chinese strings, loaded on demand', () => {
	it('a Chinese browser’s first paint is in Chinese, with no English flash', async () => {
		const s = await open({
			locale: 'zh-CN',
			// The buttons' names the moment the app first appears in the page.
			before: (context) =>
				context.addInitScript(() => {
					new MutationObserver((_, observer) => {
						if (!document.querySelector('.app')) return;
						observer.disconnect();
						(window as unknown as { __firstNames: string[] }).__firstNames = [
							...document.querySelectorAll('.app button')
						].map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim() ?? '');
					}).observe(document, { subtree: true, childList: true });
				})
		});
		const names = await s.page.evaluate(
			() => (window as unknown as { __firstNames: string[] }).__firstNames
		);
		expect(names).toContain('发送');
		expect(names).not.toContain('Send');
		expect(names).not.toContain('New chat');
		expectClean(s);
	});
});
