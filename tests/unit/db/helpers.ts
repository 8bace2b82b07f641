/** Shared fixtures for the db tests: a fresh fake IndexedDB per test and small row builders. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { openDb, type SwitchboardDb } from '../../../src/lib/db/schema.ts';
import { DEFAULT_ENDPOINT } from '../../../src/lib/wire/endpoint.ts';
import type { ConversationRow, MessageRow } from '../../../src/lib/db/rows.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';
import type { EndpointConfig } from '../../../src/lib/app-types.ts';

let n = 0;

export function freshDb(): { db: SwitchboardDb; factory: IDBFactory; name: string } {
	const factory = new IDBFactory();
	const name = `db-${n++}`;
	return { db: reopen(factory, name), factory, name };
}

export function endpointWith(apiKey: string, baseUrl = 'https://gw.example/v1'): EndpointConfig {
	return { ...DEFAULT_ENDPOINT, baseUrl, apiKey };
}

export function conv(
	id: string,
	updatedAt: number,
	columnIds: string[] = [`${id}-a`]
): ConversationRow {
	return {
		id,
		title: `Chat ${id}`,
		columns: columnIds.map((cid, i) => ({
			id: cid,
			endpoint: endpointWith(`sk-${id}-${i}`),
			model: `model-${i}`,
			params: {},
			system: ''
		})),
		createdAt: updatedAt,
		updatedAt
	};
}

export function msg(
	conversationId: string,
	columnId: string,
	seq: number,
	extra: Partial<MessageRow> = {}
): MessageRow {
	return {
		id: `${conversationId}/${columnId}/${seq}`,
		conversationId,
		columnId,
		seq,
		role: 'user',
		// An assistant's text lives in its answer.
		content: extra.role === 'assistant' ? '' : `text ${seq}`,
		createdAt: seq,
		updatedAt: seq,
		...extra
	};
}

/** An assistant answer with one choice. */
export function answer(
	status: Answer['status'],
	timing: Answer['timing'] = { startedAt: 10 },
	content = 'partial'
): Answer {
	return { choices: [{ index: 0, content, reasoning: '', toolCalls: [] }], timing, status };
}

/** The stores of schema version 1 (columns by position, no blobs). */
export const V1_STORES = {
	presets: 'id, name',
	conversations: 'id, updatedAt',
	messages: 'id, conversationId, [conversationId+column+seq]',
	settings: 'key'
};

/** A database as an older release left it: declare its versions, fill it, close it, then openDb. */
export function legacyDb(
	factory: IDBFactory,
	name: string,
	versions: Record<number, Record<string, string>>
): Dexie {
	const db = new Dexie(name, { indexedDB: factory, IDBKeyRange });
	for (const [v, stores] of Object.entries(versions)) db.version(Number(v)).stores(stores);
	return db;
}

/** Reopens a legacy database with the current schema. */
export function reopen(factory: IDBFactory, name: string): SwitchboardDb {
	return openDb(name, { indexedDB: factory, IDBKeyRange });
}

export async function bytesOf(blob: Blob | undefined): Promise<number[]> {
	if (!blob) return [];
	return [...new Uint8Array(await blob.arrayBuffer())];
}

/** Every row of every table, blobs as their bytes, for deep comparison. */
export async function dumpDb(db: SwitchboardDb) {
	return {
		presets: await db.presets.orderBy('id').toArray(),
		conversations: await db.conversations.orderBy('id').toArray(),
		messages: await db.messages.orderBy('id').toArray(),
		settings: await db.settings.orderBy('key').toArray(),
		blobs: await Promise.all(
			(await db.blobs.orderBy('id').toArray()).map(async (b) => ({
				id: b.id,
				mime: b.mime,
				createdAt: b.createdAt,
				type: b.blob.type,
				bytes: await bytesOf(b.blob)
			}))
		)
	};
}
