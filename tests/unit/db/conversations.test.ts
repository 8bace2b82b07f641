import { describe, expect, it } from 'vitest';
import {
	countConversations,
	deleteConversation,
	getConversation,
	listConversations,
	putConversation,
	renameConversation,
	restoreConversation
} from '../../../src/lib/db/conversations.ts';
import { listMessages, putMessage } from '../../../src/lib/db/messages.ts';
import { getBlob, putBlob } from '../../../src/lib/db/blobs.ts';
import { searchConversations } from '../../../src/lib/db/search.ts';
import { answer, bytesOf, conv, dumpDb, freshDb, msg } from './helpers.ts';
import { image } from '../util/images.ts';

describe('listConversations', () => {
	it('lists newest first with limit and offset, and counts', async () => {
		const { db } = freshDb();
		const stamps = [50, 10, 40, 20, 30];
		for (const [i, t] of stamps.entries()) await putConversation(db, conv(`c${i}`, t));
		expect((await listConversations(db)).map((c) => c.updatedAt)).toEqual([50, 40, 30, 20, 10]);
		expect((await listConversations(db, { limit: 2 })).map((c) => c.id)).toEqual(['c0', 'c2']);
		expect((await listConversations(db, { limit: 2, offset: 2 })).map((c) => c.id)).toEqual([
			'c4',
			'c3'
		]);
		expect((await listConversations(db, { offset: 4 })).map((c) => c.id)).toEqual(['c1']);
		expect(await listConversations(db, { offset: 5 })).toEqual([]);
		expect(await countConversations(db)).toBe(5);
	});
});

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

describe('deleteConversation and restoreConversation', () => {
	it('delete returns exactly what it removed, leaves others, and restore puts it all back', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1, ['xa', 'xb']));
		await putConversation(db, conv('y', 2));
		const img1 = await putBlob(db, await image('png', [1, 2]));
		const img2 = await putBlob(db, await image('jpeg', [3]));
		const gif = await image('gif', [4]);
		const other = await putBlob(db, gif);
		await putMessage(
			db,
			msg('x', 'xa', 1, {
				parts: [
					{ type: 'text', text: 'look' },
					{ type: 'image', blobId: img1, mime: 'image/png' }
				]
			})
		);
		await putMessage(
			db,
			msg('x', 'xb', 1, { parts: [{ type: 'image', blobId: img2, mime: 'image/jpeg' }] })
		);
		await putMessage(db, msg('x', 'xb', 2, { role: 'assistant', answer: answer('done') }));
		await putMessage(
			db,
			msg('y', 'y-a', 1, { parts: [{ type: 'image', blobId: other, mime: 'image/gif' }] })
		);
		const before = await dumpDb(db);

		const removed = await deleteConversation(db, 'x');
		if (!removed) throw new Error('nothing removed');
		expect(removed.conversation).toEqual(before.conversations.find((c) => c.id === 'x'));
		expect(removed.messages.map((m) => m.id).sort()).toEqual(['x/xa/1', 'x/xb/1', 'x/xb/2']);
		expect(removed.blobs.map((b) => b.id).sort()).toEqual([img1, img2].sort());
		expect(await getConversation(db, 'x')).toBeUndefined();
		expect(await countConversations(db)).toBe(1);
		expect(await listMessages(db, 'x')).toEqual([]);
		expect(await getBlob(db, img1)).toBeUndefined();
		expect(await getBlob(db, img2)).toBeUndefined();
		// The other conversation is untouched.
		expect(await listMessages(db, 'y')).toHaveLength(1);
		expect(await bytesOf(await getBlob(db, other))).toEqual(await bytesOf(gif));

		await restoreConversation(db, removed);
		expect(await dumpDb(db)).toEqual(before);
	});

	it('delete of an unknown id returns undefined and changes nothing', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1));
		await putMessage(db, msg('x', 'x-a', 1));
		const before = await dumpDb(db);
		expect(await deleteConversation(db, 'nope')).toBeUndefined();
		expect(await dumpDb(db)).toEqual(before);
	});
});
