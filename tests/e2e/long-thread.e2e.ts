/**
 * Issue 12, goal 4: a long conversation opens on its latest turn, older turns come in as the
 * reader scrolls up (the view staying where it is) down to the very first, and a new message
 * still appends and is followed.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { DEFAULT_ENDPOINT } from '../../src/lib/wire/endpoint.ts';
import { column, expectClean, send, settled, useJourney } from './journey.ts';
import { seedLongConversation } from './seed.ts';

const journey = useJourney();
const COUNT = 200;

/** Some of the element is inside the thread's visible area. */
function inView(el: Locator): Promise<boolean> {
	return el.evaluate((node) => {
		const box = node.getBoundingClientRect();
		const view = (node.closest('.thread-scroll') as HTMLElement).getBoundingClientRect();
		return box.bottom > view.top && box.top < view.bottom;
	});
}

describe('long conversation', () => {
	it('opens on the latest turn, brings older turns in on scrolling up, and still follows a new one', async () => {
		const s = await journey.open();
		const page = s.page;
		await seedLongConversation(
			page,
			{ ...DEFAULT_ENDPOINT, baseUrl: `${journey.gateway().url}/v1`, apiKey: '' },
			'echo',
			COUNT
		);
		await page.reload();
		await page.locator('.app[data-ready="true"]').waitFor();
		const c = column(page, 1);
		const messages = c.locator('[data-message-role]');
		const turn = (j: number) => messages.filter({ hasText: `Turn ${j}:` });

		// The latest turn is there and in view; the thread does not start by rendering all 200.
		const latest = turn(COUNT - 1);
		await latest.waitFor();
		await expect.poll(() => inView(latest)).toBe(true);
		const older = c.getByRole('button', { name: /^Show older messages/ });
		await older.waitFor();
		expect(await messages.count()).toBeLessThan(COUNT);
		// Text shown is text find-in-page finds (Chromium's window.find searches as Ctrl+F does).
		type Find = { find(text: string): boolean };
		expect(
			await page.evaluate((t) => (window as unknown as Find).find(t), `Turn ${COUNT - 2}:`)
		).toBe(true);

		// Scrolling up brings older turns in above, one batch at a time.
		const thread = c.locator('.thread-scroll');
		await thread.hover();
		let shown = await messages.count();
		await page.mouse.wheel(0, -100_000);
		await expect.poll(() => messages.count()).toBeGreaterThan(shown);

		// What the reader looks at stays put while a batch comes in above it: the top of the
		// thread in view, the first message's place is read before the batch and after it.
		const moved = await thread.evaluate(async (el) => {
			const messageAt = () => el.querySelector<HTMLElement>('[data-message-role]');
			el.scrollTop = 0;
			const first = messageAt();
			const before = first?.getBoundingClientRect().top ?? NaN;
			while (messageAt() === first) await new Promise(requestAnimationFrame);
			await new Promise(requestAnimationFrame);
			return (first?.getBoundingClientRect().top ?? NaN) - before;
		});
		expect(Math.abs(moved)).toBeLessThan(2);

		// The button does the same for those who do not scroll.
		shown = await messages.count();
		await older.click();
		await expect.poll(() => messages.count()).toBeGreaterThan(shown);

		// Scrolling on reaches the very first turn.
		for (let i = 0; i < COUNT && (await older.count()) > 0; i++) {
			shown = await messages.count();
			await page.mouse.wheel(0, -100_000);
			await expect
				.poll(async () => (await messages.count()) > shown || (await older.count()) === 0)
				.toBe(true);
		}
		expect(await messages.count()).toBe(COUNT);
		await page.mouse.wheel(0, -100_000);
		await expect.poll(() => inView(turn(0))).toBe(true);

		// A new message is appended after the latest turn, and the view follows it.
		await send(page, 'one more');
		const answer = await settled(page, 1);
		expect(await answer.innerText()).toContain('You said: one more');
		expect(await messages.count()).toBe(COUNT + 2);
		await expect.poll(() => inView(answer)).toBe(true);
		expectClean(s);
	}, 120_000);
});
