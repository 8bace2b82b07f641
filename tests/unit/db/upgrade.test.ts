import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { SCHEMA_VERSION, type SwitchboardDb } from '../../../src/lib/db/schema.ts';
import { listMessages, markInterrupted } from '../../../src/lib/db/messages.ts';
import { listConversations } from '../../../src/lib/db/conversations.ts';
import { listPresets } from '../../../src/lib/db/presets.ts';
import { getSetting } from '../../../src/lib/db/settings.ts';
import { SEARCH_TERMS_SCHEMA, searchConversations } from '../../../src/lib/db/search.ts';
import type { MessageRow } from '../../../src/lib/db/rows.ts';
import { answer, conv, endpointWith, legacyDb, msg, reopen, V1_STORES } from './helpers.ts';

const V2_STORES = {
	presets: 'id, name',
	conversations: 'id, updatedAt',
	messages: 'id, conversationId, [conversationId+columnId+seq]',
	blobs: 'id',
	settings: 'key'
};

const V3_STORES = {
	...V2_STORES,
	messages: 'id, conversationId, [conversationId+columnId+seq], answer.status'
};

const V4_STORES = { ...V3_STORES, searchTerms: SEARCH_TERMS_SCHEMA };

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
		const old = legacyDb(factory, 'legacy', { 1: V1_STORES });
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

		const db = reopen(factory, 'legacy');
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
		const old = legacyDb(factory, 'legacy2', { 1: V1_STORES });
		await old.table('conversations').put({ id: 'e', title: 'Empty', createdAt: 1, updatedAt: 1 });
		await old.table('messages').put(v1Message('n1', 'e', undefined, 1));
		old.close();

		const db = reopen(factory, 'legacy2');
		const e = await db.conversations.get('e');
		expect(e?.columns).toHaveLength(1);
		const id = e?.columns[0]?.id;
		expect(typeof id).toBe('string');
		const [m] = await listMessages(db, 'e');
		expect(m?.columnId).toBe(id);
		expect(m && 'column' in m).toBe(false);
	});
});

describe('upgrade from version 2', () => {
	it('keeps every row and finds interrupted answers through the new index', async () => {
		const factory = new IDBFactory();
		const old = legacyDb(factory, 'v2', { 1: V1_STORES, 2: V2_STORES });
		await old.table('conversations').put(conv('c', 1));
		await old
			.table('messages')
			.bulkPut([
				msg('c', 'c-a', 1),
				msg('c', 'c-a', 2, { role: 'assistant', answer: answer('streaming', { startedAt: 0 }) })
			]);
		await old
			.table('blobs')
			.put({ id: 'b', blob: new Blob(['x']), mime: 'text/plain', createdAt: 1 });
		old.close();

		const db = reopen(factory, 'v2');
		expect(await listMessages(db, 'c')).toHaveLength(2);
		expect(await db.blobs.count()).toBe(1);
		expect(await markInterrupted(db)).toBe(1);
		expect(db.verno).toBe(SCHEMA_VERSION);
	});
});

describe('upgrade from version 3', () => {
	async function ids(db: SwitchboardDb, query: string): Promise<string[] | undefined> {
		return (await searchConversations(db, query))?.rows.map((c) => c.id);
	}

	it('builds the search index for what is stored and keeps the data', async () => {
		const factory = new IDBFactory();
		const old = legacyDb(factory, 'v3', { 3: V3_STORES });
		const conversations = [
			{ ...conv('a', 1), title: 'Palindromes' },
			{ ...conv('b', 2), title: '中文对话' }
		];
		const messages: MessageRow[] = [
			msg('a', 'a-a', 1, { content: 'racecar is one' }),
			msg('b', 'b-a', 1, {
				role: 'assistant',
				answer: answer('done', { startedAt: 0, endedAt: 1 }, '回文是正反读都一样的字符串')
			})
		];
		await old.table('conversations').bulkPut(conversations);
		await old.table('messages').bulkPut(messages);
		old.close();

		const db = reopen(factory, 'v3');
		await db.open();
		expect(db.verno).toBe(SCHEMA_VERSION);
		expect(await db.conversations.orderBy('id').toArray()).toEqual(conversations);
		expect(await db.messages.orderBy('id').toArray()).toEqual(messages);
		expect(await db.searchTerms.count()).toBe(4);
		expect(await ids(db, 'race')).toEqual(['a']);
		expect(await ids(db, 'palindromes')).toEqual(['a']);
		expect(await ids(db, '回文')).toEqual(['b']);
		expect(await ids(db, '中文')).toEqual(['b']);
	});
});

describe('upgrade from version 4', () => {
	const call = {
		id: 'call_1',
		type: 'function' as const,
		function: { name: 'f', arguments: '{}' }
	};

	it("stores an assistant's text and tool calls once, in its answer", async () => {
		const factory = new IDBFactory();
		const old = legacyDb(factory, 'v4', { 4: V4_STORES });
		const called = answer('done', { startedAt: 0, endedAt: 1 }, 'calling');
		called.choices[0]?.toolCalls.push(call);
		await old.table('conversations').put(conv('c', 1));
		await old.table('messages').bulkPut([
			msg('c', 'c-a', 1, { content: 'weather?' }),
			{
				...msg('c', 'c-a', 2, { role: 'assistant', answer: called }),
				content: 'calling',
				toolCalls: [call]
			},
			// A row with text but no answer: it gets one, so every assistant message has an answer.
			{ ...msg('c', 'c-a', 3, { role: 'assistant' }), content: 'sunny, say I', toolCalls: [call] }
		]);
		old.close();

		const db = reopen(factory, 'v4');
		const [user, second, third] = await listMessages(db, 'c');
		expect(user?.content).toBe('weather?');
		expect(second).toEqual(msg('c', 'c-a', 2, { role: 'assistant', answer: called }));
		expect(third).toEqual(
			msg('c', 'c-a', 3, {
				role: 'assistant',
				answer: {
					choices: [{ index: 0, content: 'sunny, say I', reasoning: '', toolCalls: [call] }],
					timing: { startedAt: 0 },
					status: 'done'
				}
			})
		);
		expect(db.verno).toBe(SCHEMA_VERSION);
	});
});
