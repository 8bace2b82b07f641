import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { openDb, SCHEMA_VERSION } from '../../../src/lib/db/schema.ts';
import { listMessages, markInterrupted } from '../../../src/lib/db/messages.ts';
import { listConversations } from '../../../src/lib/db/conversations.ts';
import { listPresets } from '../../../src/lib/db/presets.ts';
import { getSetting } from '../../../src/lib/db/settings.ts';
import { endpointWith } from './helpers.ts';

function v1Db(name: string, factory: IDBFactory): Dexie {
	const db = new Dexie(name, { indexedDB: factory, IDBKeyRange });
	db.version(1).stores({
		presets: 'id, name',
		conversations: 'id, updatedAt',
		messages: 'id, conversationId, [conversationId+column+seq]',
		settings: 'key'
	});
	return db;
}

const v1Message = (
	id: string,
	conversationId: string,
	column: number | undefined,
	seq: number
) => ({
	id,
	conversationId,
	...(column === undefined ? {} : { column }),
	seq,
	role: 'user',
	content: `${id} content`,
	createdAt: seq,
	updatedAt: seq
});

describe('upgrade from version 1', () => {
	it('gives columns ids, messages the matching columnId, drops column, loses nothing', async () => {
		const factory = new IDBFactory();
		const old = v1Db('legacy', factory);
		const colA = { endpoint: endpointWith('ka'), model: 'model-a', params: {}, system: 'sa' };
		const colB = { endpoint: endpointWith('kb'), model: 'model-b', params: { t: '1' }, system: '' };
		await old.table('conversations').bulkPut([
			{ id: 'c', title: 'Two columns', columns: [colA, colB], createdAt: 1, updatedAt: 5 },
			{ id: 'd', title: 'Other', columns: [colB], createdAt: 2, updatedAt: 3 }
		]);
		await old
			.table('messages')
			.bulkPut([
				v1Message('m1', 'c', 0, 1),
				v1Message('m2', 'c', 1, 1),
				v1Message('m3', 'c', 0, 2),
				v1Message('m4', 'c', 1, 2),
				v1Message('m5', 'd', 0, 1)
			]);
		await old.table('presets').put({
			id: 'p',
			name: 'preset',
			endpoint: endpointWith('kp'),
			model: 'x',
			params: {},
			createdAt: 1,
			updatedAt: 1
		});
		await old.table('settings').put({ key: 'locale', value: 'fr' });
		expect(old.verno).toBe(1);
		old.close();

		const db = openDb('legacy', { indexedDB: factory, IDBKeyRange });
		await db.open();
		expect(db.verno).toBe(SCHEMA_VERSION);

		const c = await db.conversations.get('c');
		const ids = c?.columns.map((col) => col.id) ?? [];
		expect(ids).toHaveLength(2);
		expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
		expect(new Set(ids).size).toBe(2);
		// Column settings are kept, in order.
		expect(c?.columns.map(({ id: _id, ...rest }) => rest)).toEqual([colA, colB]);
		expect(c).toMatchObject({ title: 'Two columns', createdAt: 1, updatedAt: 5 });

		const d = await db.conversations.get('d');
		const dIds = d?.columns.map((col) => col.id) ?? [];
		expect(dIds).toHaveLength(1);
		expect(ids).not.toContain(dIds[0]);

		const byId = new Map((await db.messages.toArray()).map((m) => [m.id, m]));
		expect([...byId.keys()].sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
		expect(byId.get('m1')?.columnId).toBe(ids[0]);
		expect(byId.get('m3')?.columnId).toBe(ids[0]);
		expect(byId.get('m2')?.columnId).toBe(ids[1]);
		expect(byId.get('m4')?.columnId).toBe(ids[1]);
		expect(byId.get('m5')?.columnId).toBe(dIds[0]);
		for (const m of byId.values()) {
			expect('column' in m).toBe(false);
			expect(m.content).toBe(`${m.id} content`);
		}

		// The new compound index finds them, column by column.
		const thread = await listMessages(db, 'c');
		expect(thread.map((m) => [m.columnId, m.seq])).toEqual(
			[
				[ids[0], 1],
				[ids[0], 2],
				[ids[1], 1],
				[ids[1], 2]
			].sort((x, y) => String(x[0]).localeCompare(String(y[0])) || Number(x[1]) - Number(y[1]))
		);
		expect((await listConversations(db)).map((x) => x.id)).toEqual(['c', 'd']);
		expect((await listPresets(db)).map((p) => p.endpoint.apiKey)).toEqual(['kp']);
		expect(await getSetting(db, 'locale', 'en')).toBe('fr');
		expect(await db.blobs.count()).toBe(0);
		expect(await markInterrupted(db)).toBe(0);
	});

	it('handles a conversation without columns and a message without column', async () => {
		const factory = new IDBFactory();
		const old = v1Db('legacy2', factory);
		await old.table('conversations').put({ id: 'e', title: 'Empty', createdAt: 1, updatedAt: 1 });
		await old.table('messages').put(v1Message('n1', 'e', undefined, 1));
		old.close();

		const db = openDb('legacy2', { indexedDB: factory, IDBKeyRange });
		const e = await db.conversations.get('e');
		expect(e?.columns).toHaveLength(1);
		const id = e?.columns[0]?.id;
		expect(typeof id).toBe('string');
		const [m] = await listMessages(db, 'e');
		expect(m?.columnId).toBe(id);
		expect(m && 'column' in m).toBe(false);
	});
});
