import type { SwitchboardDb } from './schema.ts';
import type { MessageRow } from './rows.ts';
import { messageTerms, unindexMessages } from './search.ts';
import { readMessage } from './row-check.ts';

/**
 * Every column's thread of a conversation, in order, through the compound index. Each row is
 * checked: one that cannot be read becomes a placeholder, and the rest of the chat opens.
 */
export async function listMessages(
	db: SwitchboardDb,
	conversationId: string
): Promise<MessageRow[]> {
	const rows: unknown[] = await db.messages
		.where('[conversationId+columnId+seq]')
		.between([conversationId, '', -Infinity], [conversationId, '\uffff', Infinity])
		.toArray();
	return rows.map(readMessage);
}

/**
 * The latest `count` messages of each column, in order: a long conversation opens on them while
 * the rest is read (see listMessages).
 */
export async function listLatestMessages(
	db: SwitchboardDb,
	conversationId: string,
	columnIds: string[],
	count: number
): Promise<MessageRow[]> {
	const per = await Promise.all(
		columnIds.map((columnId) =>
			db.messages
				.where('[conversationId+columnId+seq]')
				.between([conversationId, columnId, -Infinity], [conversationId, columnId, Infinity])
				.reverse()
				.limit(count)
				.toArray()
		)
	);
	return per.flatMap((rows: unknown[]) => rows.reverse().map(readMessage));
}

/**
 * Saves a settled message, indexes it for search and marks its conversation as just used
 * (History is newest first). Streaming saves go through `createAnswerSaver`, unindexed.
 */
export async function putMessage(db: SwitchboardDb, m: MessageRow): Promise<void> {
	await db.transaction('rw', db.messages, db.conversations, db.searchTerms, async () => {
		await db.messages.put(m);
		await db.searchTerms.put(messageTerms(m));
		await db.conversations.update(m.conversationId, { updatedAt: Date.now() });
	});
}

export async function deleteMessages(db: SwitchboardDb, ids: string[]): Promise<void> {
	await db.transaction('rw', db.messages, db.searchTerms, async () => {
		const rows = (await db.messages.bulkGet(ids)).filter((m) => m !== undefined);
		await db.messages.bulkDelete(ids);
		await unindexMessages(db.searchTerms, rows);
	});
}

/**
 * At start: an answer still "streaming" was cut off by a reload or crash. Nothing stays
 * streaming, and what arrived is indexed for search as it never settled. Its end time stays
 * unrecorded: the answer never ended, so its total time (and speed) is unknown, not TTFT.
 */
export async function markInterrupted(db: SwitchboardDb): Promise<number> {
	return db.transaction('rw', db.messages, db.searchTerms, async () => {
		const cut = await db.messages.where('answer.status').equals('streaming').toArray();
		for (const m of cut) if (m.answer) m.answer.status = 'interrupted';
		await db.messages.bulkPut(cut);
		await db.searchTerms.bulkPut(cut.map(messageTerms));
		return cut.length;
	});
}

/**
 * Saves a streaming answer at most once per interval per message, always ending with the
 * latest value: a reload loses at most `intervalMs` of text, and a stream is a few writes a
 * second, never one per token.
 */
export function createAnswerSaver(
	db: SwitchboardDb,
	opts: {
		intervalMs?: number;
		onError?: (err: unknown) => void;
		/** After each write, failed or not; `idle` when nothing is left to write. */
		onWritten?: (idle: boolean) => void;
	} = {}
): { save(m: MessageRow): void; flush(): Promise<void> } {
	const interval = opts.intervalMs ?? 400;
	const pending = new Map<string, MessageRow>();
	const lastWrite = new Map<string, number>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let writing: Promise<void> = Promise.resolve();

	function write(rows: MessageRow[]) {
		const now = Date.now();
		for (const r of rows) {
			pending.delete(r.id);
			lastWrite.set(r.id, now);
		}
		writing = writing
			.then(() => db.messages.bulkPut(rows))
			.then(
				() => undefined,
				(err: unknown) => opts.onError?.(err)
			)
			.then(() => opts.onWritten?.(pending.size === 0 && timer === undefined));
		return writing;
	}

	function tick() {
		timer = undefined;
		const due = [...pending.values()];
		if (due.length) void write(due);
	}

	return {
		save(m) {
			pending.set(m.id, m);
			const since = Date.now() - (lastWrite.get(m.id) ?? 0);
			if (timer === undefined) timer = setTimeout(tick, Math.max(0, interval - since));
		},
		async flush() {
			if (timer !== undefined) clearTimeout(timer);
			timer = undefined;
			const due = [...pending.values()];
			if (due.length) await write(due);
			else await writing;
		}
	};
}
