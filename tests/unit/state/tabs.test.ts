/** Two tabs (two AppStates on one database) in the same conversation never mix their threads. */
import { describe, expect, it, vi } from 'vitest';
import { textOf } from '../../../src/lib/db/rows.ts';
import { AppState } from '../../../src/lib/state/app.svelte.ts';
import { getConversation } from '../../../src/lib/db/conversations.ts';
import { TabChannel } from '../../../src/lib/tabs.ts';
import { freshDb } from '../db/helpers.ts';
import { FAKE_BASE_URL, roles, useFakeFetch } from './fakes.ts';

function at(hash: string) {
	vi.stubGlobal('location', { hash, pathname: '/', search: '' });
	vi.stubGlobal('history', { replaceState() {} });
}

async function settle(app: AppState, text: string) {
	const result = await app.send(text);
	if (!result.accepted) throw new Error('refused');
	await result.answers;
	await app.exportData(false);
}

describe('two tabs in one conversation', () => {
	it('the other tab is told, refuses to send until it reloads the chat, then sends the whole thread', async () => {
		const fake = useFakeFetch({ content: 'one' }, { content: 'two' }, { content: 'three' });
		at('');
		const { db } = freshDb();
		const first = new AppState(db);
		await first.init();
		const column = first.current.columns[0];
		column?.setEndpoint({ baseUrl: FAKE_BASE_URL, apiKey: 'k' });
		column?.setModel('m');
		await settle(first, 'a');
		await vi.waitFor(async () => expect(await getConversation(db, first.current.id)).toBeDefined());

		at(`#/c/${first.current.id}`);
		const second = new AppState(db);
		await second.init();
		expect(second.current.id).toBe(first.current.id);
		expect(second.staleChat).toBe(false);

		await settle(first, 'b');
		await vi.waitFor(() => expect(second.staleChat).toBe(true));
		expect(second.current.columns[0]?.messages.map(textOf)).toEqual(['a', 'one']);
		expect((await second.send('c')).accepted).toBe(false);
		expect(fake.sent).toHaveLength(2);

		await second.reloadChat();
		expect(second.staleChat).toBe(false);
		await settle(second, 'c');
		expect(roles(fake.sent[2])).toEqual([
			'user: a',
			'assistant: one',
			'user: b',
			'assistant: two',
			'user: c'
		]);
		await vi.waitFor(() => expect(first.staleChat).toBe(true));
	});

	it('a tab is not told about other conversations', async () => {
		useFakeFetch({ content: 'one' });
		at('');
		const { db } = freshDb();
		const first = new AppState(db);
		const second = new AppState(db);
		await Promise.all([first.init(), second.init()]);
		const column = first.current.columns[0];
		column?.setEndpoint({ baseUrl: FAKE_BASE_URL, apiKey: 'k' });
		column?.setModel('m');
		const watcher = vi.fn();
		// A third tab on the channel sees the announcement, so it has been delivered to all.
		const probe = new TabChannel(watcher);
		await settle(first, 'a');
		await vi.waitFor(() => expect(watcher).toHaveBeenCalled());
		probe.close();
		expect(second.staleChat).toBe(false);
	});
});
