import { describe, expect, it } from 'vitest';
import {
	getConversation,
	listConversations,
	putConversation,
	renameConversation
} from '../../../src/lib/db/conversations.ts';
import { searchConversations } from '../../../src/lib/db/search.ts';
import { conv, freshDb } from './helpers.ts';

describe('renameConversation', () => {
	it('renames in place: History keeps its order and the conversation its updatedAt', async () => {
		const { db } = freshDb();
		for (let i = 1; i <= 3; i++) await putConversation(db, conv(`c${i}`, i * 100));
		await renameConversation(db, 'c1', 'Renamed');
		expect((await listConversations(db)).map((c) => `${c.id} ${c.title}`)).toEqual([
			'c3 Chat c3',
			'c2 Chat c2',
			'c1 Renamed'
		]);
		expect((await getConversation(db, 'c1'))?.updatedAt).toBe(100);
	});

	it('makes the new title searchable and the old one not', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('c1', 1));
		await renameConversation(db, 'c1', 'Quarterly numbers');
		expect((await searchConversations(db, 'quarterly', 10))?.rows.map((r) => r.id)).toEqual(['c1']);
		expect((await searchConversations(db, 'chat', 10))?.rows).toEqual([]);
	});

	it('does nothing for an unknown id', async () => {
		const { db } = freshDb();
		await renameConversation(db, 'nope', 'x');
		expect(await listConversations(db)).toEqual([]);
	});
});
