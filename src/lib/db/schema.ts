/** The single Dexie database and every version of its schema. */
import { Dexie, type EntityTable } from 'dexie';
import {
	assistantOnce,
	type BlobRow,
	type ConversationRow,
	type LegacyMessageRow,
	type MessageRow,
	type PresetRow,
	type SettingRow
} from './rows.ts';
import type { ExperimentRow, ResultRow } from './experiment-rows.ts';
import {
	messageTerms,
	SEARCH_TERMS_SCHEMA,
	titleTerms,
	type SearchTermsRow,
	type SearchTermsTable
} from './search.ts';

export const DB_NAME = 'switchboard';
export const SCHEMA_VERSION = 6;

export class SwitchboardDb extends Dexie {
	presets!: EntityTable<PresetRow, 'id'>;
	conversations!: EntityTable<ConversationRow, 'id'>;
	messages!: EntityTable<MessageRow, 'id'>;
	blobs!: EntityTable<BlobRow, 'id'>;
	settings!: EntityTable<SettingRow, 'key'>;
	searchTerms!: SearchTermsTable;
	experiments!: EntityTable<ExperimentRow, 'id'>;
	results!: EntityTable<ResultRow, 'id'>;

	constructor(name: string, deps?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) {
		super(name, deps);
		declareVersions(this);
	}
}

/**
 * Version 1 kept a message's column as its position (`column`). Version 2 gives columns
 * stable ids (`columnId`: removing a column must not renumber the others' threads) and adds
 * the `blobs` table, so images are stored once as Blobs rather than base64 in every row.
 */
export function declareVersions(db: Dexie): void {
	db.version(1).stores({
		presets: 'id, name',
		conversations: 'id, updatedAt',
		messages: 'id, conversationId, [conversationId+column+seq]',
		settings: 'key'
	});
	db.version(2)
		.stores({
			presets: 'id, name',
			conversations: 'id, updatedAt',
			messages: 'id, conversationId, [conversationId+columnId+seq]',
			blobs: 'id',
			settings: 'key'
		})
		.upgrade(async (tx) => {
			const columnIds = new Map<string, string[]>();
			await tx
				.table('conversations')
				.toCollection()
				.modify((c: { id: string; columns?: Array<{ id?: string }> }) => {
					c.columns = (c.columns ?? [{}]).map((col, i) => ({
						...col,
						id: col.id ?? `${c.id}-c${i}`
					}));
					columnIds.set(
						c.id,
						c.columns.map((col) => col.id ?? '')
					);
				});
			await tx
				.table('messages')
				.toCollection()
				.modify((m: { conversationId: string; column?: number; columnId?: string }) => {
					const ids = columnIds.get(m.conversationId) ?? [];
					m.columnId = ids[m.column ?? 0] ?? `${m.conversationId}-c${m.column ?? 0}`;
					delete m.column;
				});
		});
	// Version 3 indexes an answer's status: finding the answers a reload interrupted must not
	// read every message at start-up.
	db.version(3).stores({
		messages: 'id, conversationId, [conversationId+columnId+seq], answer.status'
	});
	// Version 4 adds the History search index (see search.ts), built here for what is stored.
	db.version(4)
		.stores({ searchTerms: SEARCH_TERMS_SCHEMA })
		.upgrade(async (tx) => {
			// Only the terms are kept in memory, not every message.
			const rows: SearchTermsRow[] = [];
			await tx.table<ConversationRow>('conversations').each((c) => void rows.push(titleTerms(c)));
			await tx.table<MessageRow>('messages').each((m) => void rows.push(messageTerms(m)));
			await tx.table<SearchTermsRow>('searchTerms').bulkPut(rows);
		});
	// Version 5 stores an assistant's text and tool calls once, in its answer (see
	// assistantOnce). The words a search finds are the same, so the index stands.
	db.version(5)
		.stores({})
		.upgrade(async (tx) => {
			await tx
				.table<LegacyMessageRow>('messages')
				.filter((m) => m.role === 'assistant')
				.modify((m, ref) => void (ref.value = assistantOnce(m)));
		});
	// Version 6 adds experiments (prompts × models) and their results, one row per result.
	db.version(6).stores({ experiments: 'id, updatedAt', results: 'id, experimentId' });
}

export function openDb(
	name = DB_NAME,
	deps?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }
): SwitchboardDb {
	return new SwitchboardDb(name, deps);
}
