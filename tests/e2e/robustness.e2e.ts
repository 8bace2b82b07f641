/** Issue 11, hostile servers and files: one malformed part or row never takes the column down. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { column, connect, lastAnswer, saved, send, settled, useJourney } from './journey.ts';
import type { Gateway } from '../gateway/server.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

/** Send, then check the column still answers: Send works and the answer shows. */
async function stillAnswers(page: Page, text: string) {
	await send(page, text);
	await expect.poll(() => lastAnswer(page, 1).innerText()).toContain(`You said: ${text}`);
	await settled(page, 1);
}

describe('malformed answers', () => {
	it('a stored answer the app cannot read shows in place; the chat opens and Send works', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'first');
		await settled(s.page, 1);
		await saved(s.page);
		// Two rows as a broken server or an old bug left them, written straight into storage.
		await s.page.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const req = indexedDB.open('switchboard');
					req.onerror = () => reject(req.error);
					req.onsuccess = () => {
						const db = req.result;
						const store = db.transaction('messages', 'readwrite').objectStore('messages');
						const all = store.getAll();
						all.onsuccess = () => {
							const rows = all.result as Array<{
								conversationId: string;
								columnId: string;
								seq: number;
							}>;
							const last = rows.reduce((a, b) => (b.seq > a.seq ? b : a));
							const row = (seq: number, choice: Record<string, unknown>) => ({
								id: `bad-${seq}`,
								conversationId: last.conversationId,
								columnId: last.columnId,
								seq,
								role: 'assistant',
								content: '',
								answer: {
									choices: [{ index: 0, reasoning: '', ...choice }],
									timing: { startedAt: 1 },
									status: 'done'
								},
								createdAt: 1,
								updatedAt: 1
							});
							const call = {
								id: 'call_kept',
								type: 'function',
								function: { name: 'kept', arguments: '{}' }
							};
							// eslint-disable-next-line no-sparse-arrays
							const holes = [, null, call];
							store.put(row(last.seq + 1, { content: 42, toolCalls: [] }));
							store.put(row(last.seq + 2, { content: 'repaired', toolCalls: holes }));
							store.transaction.oncomplete = () => resolve();
							store.transaction.onerror = () => reject(store.transaction.error);
						};
					};
				})
		);
		await s.page.reload();
		await s.page.locator('.app[data-ready="true"]').waitFor();

		const c = column(s.page, 1);
		await expect.poll(() => c.innerText()).toContain('You said: first');
		const unreadable = c.locator('article').filter({ hasText: 'could not be read (id bad-' });
		expect(await unreadable.getByRole('alert').innerText()).toMatch(
			/This message could not be read \(id bad-\d+\): message\.answer\.choices\[0\]\.content: expected a string/
		);
		expect(await c.locator('[data-tool-call="call_kept"]').count()).toBe(1);
		expect(await c.innerText()).toContain('repaired');
		await stillAnswers(s.page, 'second');
	});
});

describe('two tabs', () => {
	it('a tab is told when another tab changed its chat, and sends only after reloading it', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'from one');
		await settled(s.page, 1);
		await saved(s.page);
		const other = await s.context.newPage();
		await other.goto(s.page.url());
		await other.locator('.app[data-ready="true"]').waitFor();
		await expect.poll(() => column(other, 1).innerText()).toContain('You said: from one');

		await send(s.page, 'from two');
		await settled(s.page, 1);
		await saved(s.page);
		const stale = other.locator('[data-part="stale-chat"]');
		await expect.poll(() => stale.innerText()).toContain('This chat changed in another tab');
		const box = other.getByRole('textbox', { name: 'Message', exact: true });
		await send(other, 'not mixed');
		// Refused: nothing sent, nothing typed lost.
		expect(await box.inputValue()).toBe('not mixed');
		expect(await column(other, 1).innerText()).not.toContain('You said: not mixed');

		await stale.getByRole('button', { name: 'Reload chat', exact: true }).click();
		await expect.poll(() => stale.count()).toBe(0);
		expect(await column(other, 1).innerText()).toContain('You said: from two');
		// Reading the chat wrote nothing: the first tab is not told it changed.
		expect(await s.page.locator('[data-part="stale-chat"]').count()).toBe(0);
		await other.getByRole('button', { name: 'Send', exact: true }).click();
		await expect.poll(() => lastAnswer(other, 1).innerText()).toContain('You said: not mixed');
	});
});
