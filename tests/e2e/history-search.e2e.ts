/**
 * Issue 9, point 7: searching History by title and message text, English and Chinese, with the
 * offline demo (the default column's preset), so no gateway is involved.
 */
import { describe, expect, it } from 'vitest';
import { column, expectClean, send, settled, useJourney } from './journey.ts';

const journey = useJourney();

describe('history search', () => {
	it('filters conversations by title and message text, ANDs terms and restores the list', async () => {
		const s = await journey.open();
		const newChat = s.page.getByRole('button', { name: 'New chat', exact: true });
		await send(s.page, 'Palindromes in Python');
		await settled(s.page, 1);
		await newChat.click();
		await send(s.page, '如何判断回文字符串');
		await settled(s.page, 1);
		await newChat.click();
		await send(s.page, 'Sorting algorithms');
		await settled(s.page, 1);
		await send(s.page, 'and quicksort?');
		await settled(s.page, 1);
		expect(await column(s.page, 1).locator('[data-message-role="assistant"]').count()).toBe(2);

		const nav = s.page.getByRole('navigation', { name: 'History' });
		const titles = () => nav.getByRole('link').allInnerTexts();
		const all = ['Sorting algorithms', '如何判断回文字符串', 'Palindromes in Python'];
		await expect.poll(titles).toEqual(all);
		const search = nav.getByRole('searchbox', { name: 'Search history', exact: true });

		// A title, by the prefix of a word, whatever its case.
		await search.fill('PALIN');
		await expect.poll(titles).toEqual(['Palindromes in Python']);
		// A later user message, not the title.
		await search.fill('quick');
		await expect.poll(titles).toEqual(['Sorting algorithms']);
		// The demo's answers say "gateway": every conversation, newest first.
		await search.fill('gateway');
		await expect.poll(titles).toEqual(all);
		// Terms are ANDed.
		await search.fill('gateway palin');
		await expect.poll(titles).toEqual(['Palindromes in Python']);
		// Chinese, inside a sentence without spaces.
		await search.fill('回文');
		await expect.poll(titles).toEqual(['如何判断回文字符串']);
		await search.fill('字符串');
		await expect.poll(titles).toEqual(['如何判断回文字符串']);

		await search.fill('zebra');
		await expect.poll(titles).toEqual([]);
		expect(await nav.getByText('No conversations match “zebra”.', { exact: true }).count()).toBe(1);

		await search.fill('');
		await expect.poll(titles).toEqual(all);

		// A result opens like any History link.
		await search.fill('回文');
		await expect.poll(titles).toEqual(['如何判断回文字符串']);
		await nav.getByRole('link', { name: '如何判断回文字符串' }).click();
		await expect
			.poll(() => column(s.page, 1).locator('[data-message-role="user"]').innerText())
			.toContain('如何判断回文字符串');
		expectClean(s);
	});
});
