/** Opening a stored conversation that holds rows the app cannot read. */
import { describe, expect, it, vi } from 'vitest';
import { AppState } from '../../../src/lib/state/app.svelte.ts';
import { textOf, type MessageRow } from '../../../src/lib/db/rows.ts';
import { conv, freshDb, msg } from '../db/helpers.ts';

function at(hash: string) {
	vi.stubGlobal('location', { hash, pathname: '/', search: '' });
	vi.stubGlobal('history', { replaceState() {} });
}

describe('opening a conversation with unreadable rows', () => {
	it('opens the rest, with a placeholder for the bad message', async () => {
		const { db } = freshDb();
		await db.conversations.put(conv('c', 1));
		await db.messages.put(msg('c', 'c-a', 1, { content: 'hello' }));
		await db.messages.put(
			msg('c', 'c-a', 2, {
				role: 'assistant',
				answer: { choices: [{ index: 0, content: null }], status: 'done' }
			} as unknown as Partial<MessageRow>)
		);
		at('#/c/c');
		const app = new AppState(db);
		await app.init();
		expect(app.current.id).toBe('c');
		const messages = app.current.columns[0]?.messages ?? [];
		expect(messages.map(textOf)).toEqual(['hello', '']);
		expect(messages[1]?.answer?.error?.message.key).toBe('db.unreadable');
	});

	it('says so when the conversation row itself cannot be read, and stays on a new chat', async () => {
		const { db } = freshDb();
		await db.conversations.put({ ...conv('c', 1), columns: 'none' } as never);
		at('#/c/c');
		const app = new AppState(db);
		await app.init();
		expect(app.current.id).not.toBe('c');
		expect(app.workspace.notice?.message).toEqual({
			key: 'db.unreadableChat',
			vars: { detail: 'conversation.columns: expected an array' }
		});
	});
});
