import type { SwitchboardDb } from './schema.ts';
import { blobIdsOf, type BlobRow, type ConversationRow, type MessageRow } from './rows.ts';
import type { Message } from '../util/message.ts';
import { indexAll, titleTerms, unindexConversation } from './search.ts';
import { checkConversation, Invalid, isObj } from './row-check.ts';

/** Newest first, one page at a time: reads only `limit` rows through the updatedAt index. */
export function listConversations(
	db: SwitchboardDb,
	opts: { limit?: number; offset?: number } = {}
): Promise<ConversationRow[]> {
	return db.conversations
		.orderBy('updatedAt')
		.reverse()
		.offset(opts.offset ?? 0)
		.limit(opts.limit ?? 200)
		.toArray();
}

export function countConversations(db: SwitchboardDb): Promise<number> {
	return db.conversations.count();
}

export function getConversation(
	db: SwitchboardDb,
	id: string
): Promise<ConversationRow | undefined> {
	return db.conversations.get(id);
}

/**
 * A stored conversation to open, checked field by field like an imported one: a row that
 * cannot be read is a problem to show, never a chat that throws on screen. Undefined: none.
 */
export async function loadConversation(
	db: SwitchboardDb,
	id: string
): Promise<{ row: ConversationRow } | { problem: Message } | undefined> {
	const row: unknown = await db.conversations.get(id);
	if (row === undefined) return undefined;
	try {
		checkConversation(isObj(row) ? row : {}, 'conversation');
		return { row: row as ConversationRow };
	} catch (err) {
		if (!(err instanceof Invalid)) throw err;
		return { problem: { key: 'db.unreadableChat', vars: { detail: err.message } } };
	}
}

export async function putConversation(db: SwitchboardDb, c: ConversationRow): Promise<void> {
	await db.transaction('rw', db.conversations, db.searchTerms, async () => {
		await db.conversations.put(c);
		await db.searchTerms.put(titleTerms(c));
	});
}

/** A new title; the conversation keeps its place in History (a rename is not a use). */
export async function renameConversation(
	db: SwitchboardDb,
	id: string,
	title: string
): Promise<void> {
	await db.transaction('rw', db.conversations, db.searchTerms, async () => {
		if (await db.conversations.update(id, { title }))
			await db.searchTerms.put(titleTerms({ id, title }));
	});
}

export interface RemovedConversation {
	conversation: ConversationRow;
	messages: MessageRow[];
	blobs: BlobRow[];
}

/** Removes a conversation with its messages, images and audio, and returns them for undo. */
export async function deleteConversation(
	db: SwitchboardDb,
	id: string
): Promise<RemovedConversation | undefined> {
	return db.transaction(
		'rw',
		[db.conversations, db.messages, db.blobs, db.searchTerms],
		async () => {
			const conversation = await db.conversations.get(id);
			if (!conversation) return undefined;
			const messages = await db.messages.where('conversationId').equals(id).toArray();
			const blobIds = messages.flatMap(blobIdsOf);
			const blobs = (await db.blobs.bulkGet(blobIds)).filter((b): b is BlobRow => b !== undefined);
			await db.messages.bulkDelete(messages.map((m) => m.id));
			await db.blobs.bulkDelete(blobIds);
			await db.conversations.delete(id);
			await unindexConversation(db.searchTerms, id);
			return { conversation, messages, blobs };
		}
	);
}

export async function restoreConversation(
	db: SwitchboardDb,
	removed: RemovedConversation
): Promise<void> {
	await db.transaction(
		'rw',
		[db.conversations, db.messages, db.blobs, db.searchTerms],
		async () => {
			await db.blobs.bulkPut(removed.blobs);
			await db.messages.bulkPut(removed.messages);
			await db.conversations.put(removed.conversation);
			await indexAll(db.searchTerms, [removed.conversation], removed.messages);
		}
	);
}
