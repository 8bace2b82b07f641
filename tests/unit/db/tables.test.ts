import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dexie } from 'dexie';
import { deletePreset, listPresets, savePreset } from '../../../src/lib/db/presets.ts';
import {
	countConversations,
	deleteConversation,
	getConversation,
	listConversations,
	putConversation,
	renameConversation,
	restoreConversation
} from '../../../src/lib/db/conversations.ts';
import {
	createAnswerSaver,
	deleteMessages,
	listMessages,
	markInterrupted,
	putMessage
} from '../../../src/lib/db/messages.ts';
import { getBlob, putBlob } from '../../../src/lib/db/blobs.ts';
import { getSetting, setSetting } from '../../../src/lib/db/settings.ts';
import { storageError } from '../../../src/lib/db/errors.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';
import { bytesOf, conv, dumpDb, endpointWith, freshDb, msg } from './helpers.ts';

afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

function answer(status: Answer['status'], timing: Answer['timing'] = { startedAt: 10 }): Answer {
	return {
		choices: [{ index: 0, content: 'partial', reasoning: '', toolCalls: [] }],
		timing,
		status
	};
}

describe('presets', () => {
	it('saves with fresh id and timestamps', async () => {
		const { db } = freshDb();
		const saved = await savePreset(db, {
			name: 'GPT',
			endpoint: endpointWith('k'),
			model: 'gpt',
			params: { temperature: '0.2' }
		});
		expect(saved.id).toMatch(/.+/);
		expect(saved.createdAt).toBe(saved.updatedAt);
		expect(await db.presets.get(saved.id)).toEqual(saved);
	});

	it('overwrites a preset saved under the same name, keeping id and createdAt', async () => {
		const { db } = freshDb();
		const first = await savePreset(db, {
			name: 'same',
			endpoint: endpointWith('k1'),
			model: 'a',
			params: {}
		});
		await new Promise((r) => setTimeout(r, 5));
		const second = await savePreset(db, {
			name: 'same',
			endpoint: endpointWith('k2'),
			model: 'b',
			params: { top_p: '0.9' }
		});
		expect(second.id).toBe(first.id);
		expect(second.createdAt).toBe(first.createdAt);
		expect(second.updatedAt).toBeGreaterThan(first.updatedAt);
		const all = await listPresets(db);
		expect(all).toHaveLength(1);
		expect(all[0]).toMatchObject({ model: 'b', params: { top_p: '0.9' } });
		expect(all[0]?.endpoint.apiKey).toBe('k2');
	});

	it('lists by name and deletes one', async () => {
		const { db } = freshDb();
		for (const name of ['delta', 'alpha', 'charlie', 'bravo'])
			await savePreset(db, { name, endpoint: endpointWith(''), model: 'm', params: {} });
		const listed = await listPresets(db);
		expect(listed.map((p) => p.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
		const charlie = listed[2];
		if (!charlie) throw new Error('missing preset');
		await deletePreset(db, charlie.id);
		expect((await listPresets(db)).map((p) => p.name)).toEqual(['alpha', 'bravo', 'delta']);
	});
});

describe('conversations', () => {
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

	it('renames in place: the conversation keeps its place in History', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('old', 1));
		await putConversation(db, conv('new', 2));
		await renameConversation(db, 'old', 'Renamed');
		const got = await getConversation(db, 'old');
		expect(got?.title).toBe('Renamed');
		expect(got?.updatedAt).toBe(1);
		expect((await listConversations(db)).map((c) => c.id)).toEqual(['new', 'old']);
	});

	it('delete returns exactly what it removed, leaves others, and restore puts it all back', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1, ['xa', 'xb']));
		await putConversation(db, conv('y', 2));
		const img1 = await putBlob(db, new Blob([new Uint8Array([1, 2])], { type: 'image/png' }));
		const img2 = await putBlob(db, new Blob([new Uint8Array([3])], { type: 'image/jpeg' }));
		const other = await putBlob(db, new Blob([new Uint8Array([4])], { type: 'image/gif' }));
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
		expect(await listMessages(db, 'x')).toEqual([]);
		expect(await getBlob(db, img1)).toBeUndefined();
		expect(await getBlob(db, img2)).toBeUndefined();
		// The other conversation is untouched.
		expect(await listMessages(db, 'y')).toHaveLength(1);
		expect(await bytesOf(await getBlob(db, other))).toEqual([4]);

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

describe('messages', () => {
	it('lists a conversation ordered by column then seq, only its own messages', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1, ['b', 'a']));
		await putConversation(db, conv('x2', 1));
		const order: Array<[string, number]> = [
			['b', 10],
			['a', 3],
			['b', 2],
			['a', 1],
			['a', 20],
			['b', 1]
		];
		for (const [col, seq] of order) await putMessage(db, msg('x', col, seq));
		await putMessage(db, msg('x2', 'a', 0));
		await putMessage(db, msg('x2', 'a', 5));
		expect((await listMessages(db, 'x')).map((m) => `${m.columnId}:${m.seq}`)).toEqual([
			'a:1',
			'a:3',
			'a:20',
			'b:1',
			'b:2',
			'b:10'
		]);
		expect((await listMessages(db, 'x2')).map((m) => m.seq)).toEqual([0, 5]);
		expect(await listMessages(db, 'x3')).toEqual([]);
	});

	it('uses the compound index rather than reading the whole table', async () => {
		const { db } = freshDb();
		await putMessage(db, msg('x', 'a', 1));
		const where = vi.spyOn(db.messages, 'where');
		await listMessages(db, 'x');
		expect(where).toHaveBeenCalledWith('[conversationId+columnId+seq]');
	});

	it('putMessage bumps its conversation updatedAt and stores the message', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('x', 1));
		await putConversation(db, conv('y', 1000));
		const before = Date.now();
		await putMessage(db, msg('x', 'x-a', 1));
		const x = await getConversation(db, 'x');
		expect(x?.updatedAt).toBeGreaterThanOrEqual(before);
		expect(x?.title).toBe('Chat x');
		expect((await getConversation(db, 'y'))?.updatedAt).toBe(1000);
		expect((await listConversations(db, { limit: 1 }))[0]?.id).toBe('x');
		expect(await db.messages.get('x/x-a/1')).toEqual(msg('x', 'x-a', 1));
	});

	it('deleteMessages removes only the given ids', async () => {
		const { db } = freshDb();
		for (const s of [1, 2, 3]) await putMessage(db, msg('x', 'a', s));
		await deleteMessages(db, ['x/a/1', 'x/a/3']);
		expect((await listMessages(db, 'x')).map((m) => m.seq)).toEqual([2]);
	});

	it('markInterrupted turns streaming answers into interrupted and leaves others', async () => {
		const { db } = freshDb();
		await putMessage(
			db,
			msg('x', 'a', 1, { role: 'assistant', answer: answer('streaming', { startedAt: 5 }) })
		);
		await putMessage(
			db,
			msg('x', 'a', 2, {
				role: 'assistant',
				answer: answer('streaming', { startedAt: 5, firstTokenAt: 7 })
			})
		);
		await putMessage(
			db,
			msg('x', 'a', 3, {
				role: 'assistant',
				answer: answer('streaming', { startedAt: 5, firstTokenAt: 7, endedAt: 9 })
			})
		);
		for (const [seq, status] of [
			[4, 'done'],
			[5, 'stopped'],
			[6, 'failed']
		] as const)
			await putMessage(db, msg('x', 'a', seq, { role: 'assistant', answer: answer(status) }));
		await putMessage(db, msg('x', 'a', 7));

		expect(await markInterrupted(db)).toBe(3);
		const rows = await listMessages(db, 'x');
		expect(rows.map((m) => m.answer?.status)).toEqual([
			'interrupted',
			'interrupted',
			'interrupted',
			'done',
			'stopped',
			'failed',
			undefined
		]);
		// Never ended: the total is unknown unless an end time was recorded.
		expect(rows.slice(0, 3).map((m) => m.answer?.timing.endedAt)).toEqual([
			undefined,
			undefined,
			9
		]);
		expect(rows[3]?.answer?.timing.endedAt).toBeUndefined();
		expect(rows[6]).toEqual(msg('x', 'a', 7));
		expect(await markInterrupted(db)).toBe(0);
	});

	it('answer saver: 1000 saves over ~1.5 s write a few times and flush stores the latest', async () => {
		const { db } = freshDb();
		const bulkPut = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db, { intervalMs: 400 });
		const started = Date.now();
		for (let i = 0; i < 1000; i++) {
			saver.save(msg('x', 'a', 1, { role: 'assistant', content: `v${i}` }));
			// Spread the 1000 calls over about 1.5 s.
			if (i % 10 === 9) {
				const target = started + ((i + 1) * 1500) / 1000;
				await new Promise((r) => setTimeout(r, Math.max(0, target - Date.now())));
			}
		}
		expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
		await saver.flush();
		expect(bulkPut.mock.calls.length).toBeGreaterThanOrEqual(2);
		expect(bulkPut.mock.calls.length).toBeLessThanOrEqual(6);
		expect((await db.messages.get('x/a/1'))?.content).toBe('v999');
		expect(await db.messages.count()).toBe(1);
	});

	it('answer saver with fake timers: one write per interval per message, latest value each time', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
		const { db } = freshDb();
		const bulkPut = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db, { intervalMs: 400 });
		for (let t = 0; t < 1000; t += 10) {
			saver.save(msg('x', 'a', 1, { content: `a${t}` }));
			saver.save(msg('x', 'b', 1, { content: `b${t}` }));
			await vi.advanceTimersByTimeAsync(10);
		}
		vi.useRealTimers();
		await saver.flush();
		const written = bulkPut.mock.calls.map(([rows]) =>
			[...rows].map((r) => ('content' in r ? r.content : undefined))
		);
		// Writes at 0 (first save), ~400, ~800 and the flush: 4 batches, never one per save.
		expect(written.length).toBeLessThanOrEqual(4);
		expect(written.length).toBeGreaterThanOrEqual(3);
		expect(written.at(-1)).toEqual(['a990', 'b990']);
		expect((await db.messages.get('x/a/1'))?.content).toBe('a990');
		expect((await db.messages.get('x/b/1'))?.content).toBe('b990');
	});

	it('answer saver flush with nothing pending writes nothing and resolves', async () => {
		const { db } = freshDb();
		const bulkPut = vi.spyOn(db.messages, 'bulkPut');
		const saver = createAnswerSaver(db);
		await saver.flush();
		expect(bulkPut).not.toHaveBeenCalled();
	});

	it('answer saver reports write errors to onError', async () => {
		const { db } = freshDb();
		const boom = new DOMException('full', 'QuotaExceededError');
		vi.spyOn(db.messages, 'bulkPut').mockRejectedValue(boom);
		const onError = vi.fn();
		const saver = createAnswerSaver(db, { intervalMs: 50, onError });
		saver.save(msg('x', 'a', 1));
		await saver.flush();
		expect(onError).toHaveBeenCalledWith(boom);
	});
});

describe('blobs', () => {
	it('round-trips bytes and mime type', async () => {
		const { db } = freshDb();
		const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
		const id = await putBlob(db, new Blob([bytes], { type: 'image/webp' }));
		const back = await getBlob(db, id);
		expect(back?.type).toBe('image/webp');
		expect(back?.size).toBe(70_000);
		expect(await bytesOf(back)).toEqual([...bytes]);
		expect((await db.blobs.get(id))?.mime).toBe('image/webp');
		const id2 = await putBlob(db, new Blob(['x']));
		expect(id2).not.toBe(id);
		expect(await getBlob(db, 'missing')).toBeUndefined();
	});
});

describe('settings', () => {
	it('returns the fallback until set, stores structured values, deletes on undefined', async () => {
		const { db } = freshDb();
		expect(await getSetting(db, 'theme', 'light')).toBe('light');
		await setSetting(db, 'theme', 'dark');
		expect(await getSetting(db, 'theme', 'light')).toBe('dark');
		await setSetting(db, 'layout', { columns: 3, wrap: true });
		expect(await getSetting(db, 'layout', {})).toEqual({ columns: 3, wrap: true });
		await setSetting(db, 'zero', 0);
		expect(await getSetting(db, 'zero', 5)).toBe(0);
		await setSetting(db, 'nothing', null);
		expect(await getSetting<string | null>(db, 'nothing', 'fb')).toBeNull();
		await setSetting(db, 'theme', undefined);
		expect(await getSetting(db, 'theme', 'light')).toBe('light');
		expect(await db.settings.get('theme')).toBeUndefined();
		expect(await db.settings.count()).toBe(3);
	});
});

describe('storageError', () => {
	it('maps a QuotaExceededError DOMException to the quota message', () => {
		expect(storageError(new DOMException('x', 'QuotaExceededError'))).toEqual({
			key: 'db.error.quota'
		});
	});

	it('maps an AbortError wrapping a quota error to the quota message', () => {
		const inner = new DOMException('x', 'QuotaExceededError');
		expect(storageError({ name: 'AbortError', inner })).toEqual({ key: 'db.error.quota' });
		expect(storageError(new Dexie.AbortError('aborted', inner))).toEqual({
			key: 'db.error.quota'
		});
		expect(storageError({ name: 'X', cause: { name: 'QuotaExceededError' } })).toEqual({
			key: 'db.error.quota'
		});
	});

	it('maps other errors to db.error.other with name and detail, non-errors to undefined', () => {
		expect(storageError(new DOMException('gone', 'AbortError'))).toEqual({
			key: 'db.error.other',
			vars: { name: 'AbortError', detail: 'gone' }
		});
		expect(storageError({ name: 'AbortError' })).toEqual({
			key: 'db.error.other',
			vars: { name: 'AbortError', detail: '' }
		});
		expect(storageError('nope')).toBeUndefined();
		expect(storageError(null)).toBeUndefined();
	});
});
