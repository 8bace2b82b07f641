import { describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { openDb, SCHEMA_VERSION, type SwitchboardDb } from '../../../src/lib/db/schema.ts';
import { deletePreset, listPresets, savePreset } from '../../../src/lib/db/presets.ts';
import {
	countConversations,
	deleteConversation,
	listConversations,
	putConversation,
	renameConversation,
	restoreConversation
} from '../../../src/lib/db/conversations.ts';
import {
	createAnswerSaver,
	listMessages,
	markInterrupted,
	putMessage
} from '../../../src/lib/db/messages.ts';
import { getBlob, putBlob } from '../../../src/lib/db/blobs.ts';
import { getSetting, setSetting } from '../../../src/lib/db/settings.ts';
import { storageError } from '../../../src/lib/db/errors.ts';
import { exportAll, importAll } from '../../../src/lib/db/backup.ts';
import { DEFAULT_ENDPOINT } from '../../../src/lib/wire/endpoint.ts';
import type { ConversationRow, MessageRow } from '../../../src/lib/db/rows.ts';

let n = 0;
function fresh(): { db: SwitchboardDb; factory: IDBFactory; name: string } {
	const factory = new IDBFactory();
	const name = `t${n++}`;
	return { db: openDb(name, { indexedDB: factory, IDBKeyRange }), factory, name };
}

const endpoint = { ...DEFAULT_ENDPOINT, baseUrl: 'https://gw.example/v1', apiKey: 'sk-secret' };

function conversation(id: string, updatedAt: number): ConversationRow {
	return {
		id,
		title: `Chat ${id}`,
		columns: [{ id: `${id}-a`, endpoint, model: 'm', params: {}, system: '' }],
		createdAt: updatedAt,
		updatedAt
	};
}

function message(
	conversationId: string,
	columnId: string,
	seq: number,
	extra: Partial<MessageRow> = {}
): MessageRow {
	return {
		id: `${conversationId}-${columnId}-${seq}`,
		conversationId,
		columnId,
		seq,
		role: 'user',
		content: `m${seq}`,
		createdAt: seq,
		updatedAt: seq,
		...extra
	};
}

describe('presets', () => {
	it('saves, overwrites by name, lists by name and deletes', async () => {
		const { db } = fresh();
		await savePreset(db, { name: 'b', endpoint, model: 'x', params: {} });
		const a = await savePreset(db, { name: 'a', endpoint, model: 'x', params: {} });
		const again = await savePreset(db, {
			name: 'a',
			endpoint,
			model: 'y',
			params: { temperature: '1' }
		});
		expect(again.id).toBe(a.id);
		expect((await listPresets(db)).map((p) => [p.name, p.model])).toEqual([
			['a', 'y'],
			['b', 'x']
		]);
		await deletePreset(db, a.id);
		expect((await listPresets(db)).map((p) => p.name)).toEqual(['b']);
	});
});

describe('conversations and messages', () => {
	it('lists newest first, a page at a time, and counts', async () => {
		const { db } = fresh();
		for (let i = 0; i < 30; i++) await putConversation(db, conversation(`c${i}`, i));
		expect((await listConversations(db, { limit: 3 })).map((c) => c.id)).toEqual([
			'c29',
			'c28',
			'c27'
		]);
		expect((await listConversations(db, { limit: 2, offset: 3 })).map((c) => c.id)).toEqual([
			'c26',
			'c25'
		]);
		expect(await countConversations(db)).toBe(30);
		await renameConversation(db, 'c0', 'Renamed');
		// A rename keeps the conversation's place in History.
		expect((await listConversations(db, { limit: 1 }))[0]?.id).toBe('c29');
		expect((await listConversations(db, { limit: 1, offset: 29 }))[0]?.title).toBe('Renamed');
	});

	it('orders a thread by column then sequence, and a new message makes its conversation newest', async () => {
		const { db } = fresh();
		await putConversation(db, conversation('x', 1));
		await putConversation(db, conversation('y', 2));
		for (const [col, seq] of [
			['b', 2],
			['a', 2],
			['b', 1],
			['a', 1]
		] as const)
			await putMessage(db, message('x', col, seq));
		await putMessage(db, message('y', 'a', 1));
		expect((await listMessages(db, 'x')).map((m) => `${m.columnId}${m.seq}`)).toEqual([
			'a1',
			'a2',
			'b1',
			'b2'
		]);
		expect((await listConversations(db, { limit: 1 }))[0]?.id).toBe('y');
	});

	it('deletes a conversation with its messages and images, and undoes it', async () => {
		const { db } = fresh();
		await putConversation(db, conversation('x', 1));
		const blobId = await putBlob(db, new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }));
		await putMessage(
			db,
			message('x', 'a', 1, { parts: [{ type: 'image', blobId, mime: 'image/png' }] })
		);
		const removed = await deleteConversation(db, 'x');
		expect(removed?.messages).toHaveLength(1);
		expect(removed?.blobs).toHaveLength(1);
		expect(await countConversations(db)).toBe(0);
		expect(await db.messages.count()).toBe(0);
		if (!removed) throw new Error('nothing removed');
		await restoreConversation(db, removed);
		expect(await listMessages(db, 'x')).toHaveLength(1);
		expect(new Uint8Array(await ((await getBlob(db, blobId)) ?? new Blob()).arrayBuffer())).toEqual(
			new Uint8Array([1, 2, 3])
		);
	});

	it('marks answers left streaming by a reload as interrupted, and nothing else', async () => {
		const { db } = fresh();
		const answer = (status: 'streaming' | 'done') => ({
			choices: [],
			timing: { startedAt: 5 },
			status
		});
		await putMessage(db, message('x', 'a', 1, { role: 'assistant', answer: answer('streaming') }));
		await putMessage(db, message('x', 'a', 2, { role: 'assistant', answer: answer('done') }));
		expect(await markInterrupted(db)).toBe(1);
		expect((await listMessages(db, 'x')).map((m) => m.answer?.status)).toEqual([
			'interrupted',
			'done'
		]);
	});

	it('saves a streaming answer a few times a second, never once per token, ending with the latest', async () => {
		const { db } = fresh();
		const spy = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db, { intervalMs: 400 });
		const started = Date.now();
		let i = 0;
		// Tokens for about 1.2 s, several per millisecond-tick, as a fast model sends them.
		while (Date.now() - started < 1200) {
			for (let k = 0; k < 5; k++) saver.save(message('x', 'a', 1, { content: `token ${i++}` }));
			await new Promise((r) => setTimeout(r, 1));
		}
		await saver.flush();
		expect(i).toBeGreaterThan(500);
		expect(spy.mock.calls.length).toBeLessThanOrEqual(6);
		expect(spy.mock.calls.length).toBeGreaterThanOrEqual(2);
		expect((await db.messages.get('x-a-1'))?.content).toBe(`token ${i - 1}`);
	});
});

describe('settings and errors', () => {
	it('reads a fallback until set, and forgets an undefined value', async () => {
		const { db } = fresh();
		expect(await getSetting(db, 'locale', 'en')).toBe('en');
		await setSetting(db, 'locale', 'zh-CN');
		expect(await getSetting(db, 'locale', 'en')).toBe('zh-CN');
		await setSetting(db, 'locale', undefined);
		expect(await getSetting(db, 'locale', 'en')).toBe('en');
	});

	it('recognises a full disk, also when Dexie wraps it in an AbortError', () => {
		const quota = new DOMException('full', 'QuotaExceededError');
		expect(storageError(quota)).toEqual({ key: 'db.error.quota' });
		expect(storageError({ name: 'AbortError', message: 'aborted', inner: quota })).toEqual({
			key: 'db.error.quota'
		});
		expect(storageError(new Dexie.AbortError('aborted', quota))).toEqual({ key: 'db.error.quota' });
		expect(storageError(new Error('other'))?.key).toBe('db.error.other');
	});
});

describe('schema upgrade', () => {
	it('opens a version-1 database without losing anything and gives columns stable ids', async () => {
		const factory = new IDBFactory();
		const v1 = new Dexie('old', { indexedDB: factory, IDBKeyRange });
		v1.version(1).stores({
			presets: 'id, name',
			conversations: 'id, updatedAt',
			messages: 'id, conversationId, [conversationId+column+seq]',
			settings: 'key'
		});
		await v1.table('conversations').put({
			id: 'c',
			title: 'Old',
			columns: [
				{ endpoint, model: 'a', params: {}, system: '' },
				{ endpoint, model: 'b', params: {}, system: '' }
			],
			createdAt: 1,
			updatedAt: 1
		});
		await v1.table('messages').bulkPut([
			{
				id: 'm1',
				conversationId: 'c',
				column: 0,
				seq: 1,
				role: 'user',
				content: 'hi',
				createdAt: 1,
				updatedAt: 1
			},
			{
				id: 'm2',
				conversationId: 'c',
				column: 1,
				seq: 1,
				role: 'user',
				content: 'hi',
				createdAt: 1,
				updatedAt: 1
			}
		]);
		await v1.table('settings').put({ key: 'locale', value: 'zh-CN' });
		v1.close();

		const db = openDb('old', { indexedDB: factory, IDBKeyRange });
		const c = await db.conversations.get('c');
		const ids = c?.columns.map((col) => col.id) ?? [];
		expect(ids).toHaveLength(2);
		expect(new Set(ids).size).toBe(2);
		const messages = await listMessages(db, 'c');
		expect(messages.map((m) => m.columnId).sort()).toEqual([...ids].sort());
		expect(messages.every((m) => !('column' in m))).toBe(true);
		expect(await getSetting(db, 'locale', 'en')).toBe('zh-CN');
		expect(await db.blobs.count()).toBe(0);
	});
});

describe('schema upgrade from version 2', () => {
	it('keeps every row and finds interrupted answers through the new index', async () => {
		const factory = new IDBFactory();
		const v2 = new Dexie('v2', { indexedDB: factory, IDBKeyRange });
		v2.version(1).stores({
			presets: 'id, name',
			conversations: 'id, updatedAt',
			messages: 'id, conversationId, [conversationId+column+seq]',
			settings: 'key'
		});
		v2.version(2).stores({
			presets: 'id, name',
			conversations: 'id, updatedAt',
			messages: 'id, conversationId, [conversationId+columnId+seq]',
			blobs: 'id',
			settings: 'key'
		});
		await v2.table('conversations').put(conversation('c', 1));
		await v2.table('messages').bulkPut([
			message('c', 'c-a', 1),
			message('c', 'c-a', 2, {
				role: 'assistant',
				answer: { choices: [], timing: { startedAt: 0 }, status: 'streaming' }
			})
		]);
		await v2
			.table('blobs')
			.put({ id: 'b', blob: new Blob(['x']), mime: 'text/plain', createdAt: 1 });
		v2.close();

		const db = openDb('v2', { indexedDB: factory, IDBKeyRange });
		expect(await listMessages(db, 'c')).toHaveLength(2);
		expect(await db.blobs.count()).toBe(1);
		expect(await markInterrupted(db)).toBe(1);
		expect(db.verno).toBe(SCHEMA_VERSION);
	});
});

describe('backup', () => {
	async function seed(db: SwitchboardDb) {
		await savePreset(db, { name: 'p', endpoint, model: 'm', params: { temperature: '0.5' } });
		await putConversation(db, conversation('x', 1));
		const blobId = await putBlob(db, new Blob([new Uint8Array([9, 8, 7])], { type: 'image/png' }));
		await putMessage(
			db,
			message('x', 'x-a', 1, {
				parts: [
					{ type: 'text', text: 'see' },
					{ type: 'image', blobId, mime: 'image/png' }
				]
			})
		);
		await putMessage(
			db,
			message('x', 'x-a', 2, {
				role: 'assistant',
				answer: {
					choices: [{ index: 0, content: 'ok', reasoning: '', toolCalls: [] }],
					timing: { startedAt: 0 },
					status: 'done'
				}
			})
		);
	}
	const dump = async (db: SwitchboardDb) => ({
		presets: await db.presets.toArray(),
		conversations: await db.conversations.toArray(),
		messages: await db.messages.toArray(),
		blobs: await Promise.all(
			(await db.blobs.toArray()).map(async (b) => ({
				...b,
				blob: [...new Uint8Array(await b.blob.arrayBuffer())]
			}))
		)
	});

	it('round-trips exactly, keys included only when asked', async () => {
		const a = fresh().db;
		await seed(a);
		const withKeys = await (await exportAll(a, { includeKeys: true })).text();
		const b = fresh().db;
		expect(await importAll(b, withKeys)).toMatchObject({
			ok: true,
			counts: { presets: 1, conversations: 1, messages: 2, blobs: 1 }
		});
		expect(await dump(b)).toEqual(await dump(a));
		const without = await (await exportAll(a, { includeKeys: false })).text();
		expect(without).not.toContain('sk-secret');
		expect(withKeys).toContain('sk-secret');
	});

	it.each([
		['not JSON', () => 'hello', /backup.error.json/],
		['truncated', (t: string) => t.slice(0, t.length - 20), /backup.error.json/],
		['wrong format', (t: string) => t.replace('switchboard-backup', 'other'), /format/],
		['wrong version', (t: string) => t.replace('"version":1', '"version":99'), /version/],
		[
			'orphan message',
			(t: string) => t.replace('"conversationId":"x"', '"conversationId":"nope"'),
			/messages\[0\]\.conversationId/
		],
		[
			'__proto__ key',
			(t: string) => t.replace('"title":', '"__proto__":{"polluted":true},"title":'),
			/__proto__/
		],
		[
			'wrong type',
			(t: string) => t.replace('"title":"Chat x"', '"title":5'),
			/conversations\[0\]\.title/
		]
	])('refuses a file that is %s, changing nothing', async (_label, mangle, says) => {
		const a = fresh().db;
		await seed(a);
		const text = await (await exportAll(a, { includeKeys: false })).text();
		const b = fresh().db;
		await putConversation(b, conversation('existing', 5));
		const before = await dump(b);
		const result = await importAll(b, mangle(text));
		expect(result.ok).toBe(false);
		expect(!result.ok && `${String(result.message.vars?.detail)} ${result.message.key}`).toMatch(
			says
		);
		expect(await dump(b)).toEqual(before);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
