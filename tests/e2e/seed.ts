/**
 * A long stored conversation, written through the app's own database module (`--mode e2e`
 * builds expose it as `window.__switchboard.db`) and opened on the next load. Shared by the
 * long-thread journey and the bench.
 */
import type { Page } from 'playwright-core';
import type { EndpointConfig } from '../../src/lib/app-types.ts';

/** `count` messages (user, assistant, …), each `Turn <n>: …` with some markdown. */
export async function seedLongConversation(
	page: Page,
	endpoint: EndpointConfig,
	model: string,
	count: number
): Promise<void> {
	await page.evaluate(
		async ({ endpoint, model, count }) => {
			type W = {
				__switchboard: { db: () => Promise<typeof import('../../src/lib/db/schema.ts')> };
			};
			const { openDb } = await (window as unknown as W).__switchboard.db();
			const db = openDb();
			await db.conversations.put({
				id: 'long',
				title: 'Long',
				columns: [{ id: 'long-k', endpoint, model, params: {}, system: '' }],
				createdAt: 0,
				updatedAt: Date.now()
			});
			const rows = Array.from({ length: count }, (_, j) => {
				const content = `Turn ${j}: some **markdown** with \`code\`, a list:\n\n- one\n- two\n\nand a closing paragraph.`;
				const answer = {
					choices: [{ index: 0, content, reasoning: '', toolCalls: [] }],
					timing: { startedAt: 0, endedAt: 10 },
					status: 'done'
				};
				return {
					id: `long-${j}`,
					conversationId: 'long',
					columnId: 'long-k',
					seq: j,
					role: j % 2 ? 'assistant' : 'user',
					content,
					createdAt: j,
					updatedAt: j,
					...(j % 2 ? { answer } : {})
				};
			});
			await db.messages.bulkPut(rows as never[]);
			await db.settings.put({ key: 'lastConversation', value: 'long' });
			db.close();
		},
		{ endpoint, model, count }
	);
}
