/** Shared fixtures for the db tests: a fresh fake IndexedDB per test and small row builders. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openDb, type SwitchboardDb } from '../../../src/lib/db/schema.ts';
import { DEFAULT_ENDPOINT } from '../../../src/lib/wire/endpoint.ts';
import type { ConversationRow, MessageRow } from '../../../src/lib/db/rows.ts';
import type { EndpointConfig } from '../../../src/lib/wire/types.ts';

let n = 0;

export function freshDb(): { db: SwitchboardDb; factory: IDBFactory; name: string } {
	const factory = new IDBFactory();
	const name = `db-${n++}`;
	return { db: openDb(name, { indexedDB: factory, IDBKeyRange }), factory, name };
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
		content: `text ${seq}`,
		createdAt: seq,
		updatedAt: seq,
		...extra
	};
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
