/**
 * History search. The `searchTerms` table holds one row per conversation title and per settled
 * message, `{ conversationId, source, terms }`, with a multiEntry index on `terms`: a query reads
 * the index entries of its terms, never the messages. Rows are written in the same transaction
 * as what they index, so the index cannot drift from the data.
 */
import type { Table } from 'dexie';
import type { SwitchboardDb } from './schema.ts';
import type { ConversationRow, MessageRow } from './rows.ts';
import { indexTerms, queryTerms, type QueryTerm } from './search-terms.ts';

export interface SearchTermsRow {
	conversationId: string;
	/** `title`, or `m:` and the message id. */
	source: string;
	terms: string[];
}

export type SearchTermsTable = Table<SearchTermsRow, [string, string]>;

export const SEARCH_TERMS_SCHEMA = '[conversationId+source], *terms';

const TITLE = 'title';
const messageSource = (id: string) => `m:${id}`;

export function titleTerms(c: Pick<ConversationRow, 'id' | 'title'>): SearchTermsRow {
	return { conversationId: c.id, source: TITLE, terms: indexTerms(c.title) };
}

/**
 * What a reader sees of a message: its text, every choice of an answer (not reasoning), a
 * transcript and an image's revised prompt.
 */
export function messageTerms(m: MessageRow): SearchTermsRow {
	const texts = [m.content];
	for (const p of m.parts ?? []) if (p.type === 'text') texts.push(p.text);
	for (const c of m.answer?.choices ?? []) texts.push(c.content);
	if (m.media?.transcript) texts.push(m.media.transcript.text);
	for (const image of m.media?.images ?? []) texts.push(image.revisedPrompt ?? '');
	return {
		conversationId: m.conversationId,
		source: messageSource(m.id),
		terms: indexTerms(...texts)
	};
}

export async function unindexMessages(
	table: SearchTermsTable,
	messages: ReadonlyArray<Pick<MessageRow, 'id' | 'conversationId'>>
): Promise<void> {
	await table.bulkDelete(messages.map((m) => [m.conversationId, messageSource(m.id)]));
}

export async function unindexConversation(table: SearchTermsTable, id: string): Promise<void> {
	// The first part of the compound primary key is queryable on its own.
	await table.where('conversationId').equals(id).delete();
}

/** Indexes conversations and messages written without it: an upgrade or an import. */
export async function indexAll(
	table: SearchTermsTable,
	conversations: Iterable<Pick<ConversationRow, 'id' | 'title'>>,
	messages: Iterable<MessageRow>
): Promise<void> {
	const rows: SearchTermsRow[] = [];
	for (const c of conversations) rows.push(titleTerms(c));
	for (const m of messages) rows.push(messageTerms(m));
	await table.bulkPut(rows);
}

export interface SearchResult {
	/** Newest first, at most `limit`. */
	rows: ConversationRow[];
	/** Every conversation that matched. */
	total: number;
}

/**
 * Conversations whose title or messages hold every term of the query, newest first; undefined
 * when the query has no terms (only spaces or punctuation), which filters nothing. Only index
 * keys are read, never messages: with several terms, each term's entries are counted first, so
 * a term that matches nothing ends the search at once and the rarest term is read first.
 */
export async function searchConversations(
	db: SwitchboardDb,
	query: string,
	limit = 200
): Promise<SearchResult | undefined> {
	const terms = queryTerms(query);
	if (terms.length === 0) return undefined;
	const entries = (t: QueryTerm) => {
		const index = db.searchTerms.where('terms');
		return t.prefix ? index.startsWith(t.term) : index.equals(t.term);
	};
	return db.transaction('r', db.searchTerms, db.conversations, async () => {
		if (terms.length > 1) {
			const counts = new Map(
				await Promise.all(terms.map(async (t) => [t, await entries(t).count()] as const))
			);
			if ([...counts.values()].includes(0)) return { rows: [], total: 0 };
			terms.sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0));
		}
		let ids: Set<string> | undefined;
		for (const t of terms) {
			const keys = await entries(t).primaryKeys();
			const found = new Set(keys.map(([conversationId]) => conversationId));
			ids = ids ? new Set([...ids].filter((id) => found.has(id))) : found;
			if (ids.size === 0) return { rows: [], total: 0 };
		}
		const matched = ids ?? new Set<string>();
		if (matched.size <= limit) {
			const rows = (await db.conversations.bulkGet([...matched]))
				.filter((c): c is ConversationRow => c !== undefined)
				.sort((a, b) => b.updatedAt - a.updatedAt);
			return { rows, total: rows.length };
		}
		// Many matches: the updatedAt index's keys alone give the order, then one page is read.
		const newestFirst = await db.conversations.orderBy('updatedAt').reverse().primaryKeys();
		const page = newestFirst.filter((id) => matched.has(id)).slice(0, limit);
		const rows = (await db.conversations.bulkGet(page)).filter(
			(c): c is ConversationRow => c !== undefined
		);
		return { rows, total: matched.size };
	});
}
