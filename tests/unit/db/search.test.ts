import { describe, expect, it } from 'vitest';
import type { DBCore } from 'dexie';
import type { SwitchboardDb } from '../../../src/lib/db/schema.ts';
import {
	deleteConversation,
	putConversation,
	renameConversation,
	restoreConversation
} from '../../../src/lib/db/conversations.ts';
import {
	createAnswerSaver,
	deleteMessages,
	markInterrupted,
	putMessage
} from '../../../src/lib/db/messages.ts';
import { exportAll, importAll } from '../../../src/lib/db/backup.ts';
import { indexAll, searchConversations } from '../../../src/lib/db/search.ts';
import { indexTerms, MAX_TERM_LENGTH, queryTerms } from '../../../src/lib/db/search-terms.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';
import type { ConversationRow, MessageRow } from '../../../src/lib/db/rows.ts';
import { conv, freshDb, msg } from './helpers.ts';

function answer(content: string, status: Answer['status'] = 'done'): Answer {
	return {
		choices: [{ index: 0, content, reasoning: 'secret thoughts', toolCalls: [] }],
		timing: { startedAt: 0, endedAt: 1 },
		status
	};
}

function titled(id: string, updatedAt: number, title: string): ConversationRow {
	return { ...conv(id, updatedAt), title };
}

async function ids(db: SwitchboardDb, query: string): Promise<string[] | undefined> {
	return (await searchConversations(db, query))?.rows.map((c) => c.id);
}

/** Three conversations with English, Chinese and mixed text, oldest first. */
async function seeded(): Promise<SwitchboardDb> {
	const { db } = freshDb();
	await putConversation(db, titled('en', 100, 'Palindromes in Python'));
	await putMessage(db, msg('en', 'en-a', 1, { content: 'Write a function that checks a word' }));
	await putMessage(
		db,
		msg('en', 'en-a', 2, { role: 'assistant', content: '', answer: answer('Use `s == s[::-1]`.') })
	);
	await putConversation(db, titled('zh', 200, '字符串问题'));
	await putMessage(db, msg('zh', 'zh-a', 1, { content: '如何判断回文字符串？' }));
	await putMessage(
		db,
		msg('zh', 'zh-a', 2, {
			role: 'assistant',
			content: '',
			answer: answer('可以用双指针，从两端比较。')
		})
	);
	await putConversation(db, titled('mix', 300, 'Rust notes'));
	await putMessage(db, msg('mix', 'mix-a', 1, { content: '用Rust写一个palindrome检查' }));
	// Saving a message marks its conversation used now: set the order History shows.
	await db.conversations.update('en', { updatedAt: 100 });
	await db.conversations.update('zh', { updatedAt: 200 });
	await db.conversations.update('mix', { updatedAt: 300 });
	return db;
}

describe('tokenizer', () => {
	it('cuts words to lowercase terms, folding width and Latin accents', () => {
		expect(indexTerms('Hello, WORLD! Café ｆｕｌｌ-width gpt-4o')).toEqual([
			'hello',
			'world',
			'cafe',
			'full',
			'width',
			'gpt',
			'4o'
		]);
		expect(indexTerms('x'.repeat(100))).toEqual(['x'.repeat(MAX_TERM_LENGTH)]);
	});

	it('indexes CJK runs as single characters and adjacent pairs, apart from Latin words', () => {
		expect(indexTerms('回文串').sort()).toEqual(['串', '回', '回文', '文', '文串'].sort());
		expect(indexTerms('用Rust写').sort()).toEqual(['rust', '写', '用'].sort());
		expect(indexTerms('カタカナ').sort()).toEqual(
			['カ', 'タ', 'ナ', 'カタ', 'タカ', 'カナ'].sort()
		);
	});

	it('turns a query into prefix words and exact CJK terms', () => {
		expect(queryTerms('  Palin  PY ')).toEqual([
			{ term: 'palin', prefix: true },
			{ term: 'py', prefix: true }
		]);
		expect(queryTerms('回')).toEqual([{ term: '回', prefix: false }]);
		expect(queryTerms('回文串')).toEqual([
			{ term: '回文', prefix: false },
			{ term: '文串', prefix: false }
		]);
		expect(queryTerms('?! …')).toEqual([]);
	});
});

describe('searchConversations', () => {
	it('finds titles and message text, including answers, by word prefix', async () => {
		const db = await seeded();
		expect(await ids(db, 'python')).toEqual(['en']);
		expect(await ids(db, 'function')).toEqual(['en']);
		expect(await ids(db, 's')).toEqual(['en']);
		expect(await ids(db, 'palin')).toEqual(['mix', 'en']);
		expect(await ids(db, 'PALIN')).toEqual(['mix', 'en']);
		expect(await ids(db, 'alindrome')).toEqual([]);
		// Reasoning is not what a reader searches for.
		expect(await ids(db, 'secret')).toEqual([]);
		expect(await searchConversations(db, ' … ')).toBeUndefined();
	});

	it('finds Chinese by characters and pairs, in titles, questions and answers', async () => {
		const db = await seeded();
		expect(await ids(db, '回文')).toEqual(['zh']);
		expect(await ids(db, '字符串')).toEqual(['zh']);
		expect(await ids(db, '双指针')).toEqual(['zh']);
		expect(await ids(db, '串')).toEqual(['zh']);
		expect(await ids(db, '写')).toEqual(['mix']);
		expect(await ids(db, '回文串')).toEqual([]);
	});

	it('ANDs the terms, across the title and messages of a conversation, newest first', async () => {
		const db = await seeded();
		expect(await ids(db, 'palin python')).toEqual(['en']);
		expect(await ids(db, 'palin 检查')).toEqual(['mix']);
		expect(await ids(db, 'palin rust')).toEqual(['mix']);
		expect(await ids(db, 'palin golang')).toEqual([]);
		await putMessage(db, msg('en', 'en-a', 3, { content: 'now in Rust' }));
		await db.conversations.update('en', { updatedAt: 400 });
		expect(await ids(db, 'palin rust')).toEqual(['en', 'mix']);
	});

	it('follows renames, message deletion, conversation deletion and undo', async () => {
		const db = await seeded();
		await renameConversation(db, 'mix', 'Borrow checker');
		expect(await ids(db, 'borrow')).toEqual(['mix']);
		expect(await ids(db, 'notes')).toEqual([]);

		await deleteMessages(db, ['mix/mix-a/1']);
		expect(await ids(db, 'palin')).toEqual(['en']);

		const removed = await deleteConversation(db, 'zh');
		expect(await ids(db, '回文')).toEqual([]);
		expect(await db.searchTerms.where('conversationId').equals('zh').count()).toBe(0);
		if (removed) await restoreConversation(db, removed);
		expect(await ids(db, '回文')).toEqual(['zh']);
		expect(await ids(db, '字符串')).toEqual(['zh']);
	});

	it('indexes an answer once it settles, not on every streaming save', async () => {
		const { db } = freshDb();
		await putConversation(db, titled('s', 1, 'Streaming'));
		const saver = createAnswerSaver(db, { intervalMs: 0 });
		saver.save(msg('s', 's-a', 1, { role: 'assistant', answer: answer('partial', 'streaming') }));
		await saver.flush();
		expect(await ids(db, 'partial')).toEqual([]);
		// A reload cut it off: what arrived becomes searchable.
		expect(await markInterrupted(db)).toBe(1);
		expect(await ids(db, 'partial')).toEqual(['s']);
		await putMessage(db, msg('s', 's-a', 1, { role: 'assistant', answer: answer('complete') }));
		expect(await ids(db, 'partial')).toEqual([]);
		expect(await ids(db, 'complete')).toEqual(['s']);
	});

	it('is right after importing a backup, over data already there', async () => {
		const source = await seeded();
		await renameConversation(source, 'en', 'Reversed strings');
		const file = await exportAll(source, { includeKeys: false });
		const { db } = freshDb();
		await putConversation(db, titled('en', 1, 'Old title'));
		await putConversation(db, titled('local', 2, 'Local only'));
		expect((await importAll(db, file)).ok).toBe(true);
		expect(await ids(db, 'reversed')).toEqual(['en']);
		expect(await ids(db, 'old')).toEqual([]);
		expect(await ids(db, '回文')).toEqual(['zh']);
		expect(await ids(db, 'palin')).toEqual(['mix']);
		expect(await ids(db, 'local')).toEqual(['local']);
	});
});

/** Rows and keys each table hands back, counted under Dexie (DBCore middleware). */
function countReads(db: SwitchboardDb) {
	const reads: Record<string, { rows: number; keys: number; cursors: number }> = {};
	const of = (table: string) => (reads[table] ??= { rows: 0, keys: 0, cursors: 0 });
	db.use({
		stack: 'dbcore',
		name: 'count-reads',
		create: (down: DBCore): DBCore => ({
			...down,
			table(name) {
				const t = down.table(name);
				return {
					...t,
					async get(req) {
						const row: unknown = await t.get(req);
						if (row !== undefined) of(name).rows++;
						return row;
					},
					async getMany(req) {
						const rows = await t.getMany(req);
						of(name).rows += rows.filter((r) => r !== undefined).length;
						return rows;
					},
					async query(req) {
						const res = await t.query(req);
						of(name)[req.values ? 'rows' : 'keys'] += res.result.length;
						return res;
					},
					openCursor(req) {
						of(name).cursors++;
						return t.openCursor(req);
					}
				};
			}
		})
	});
	return {
		reads,
		reset: () => {
			for (const key of Object.keys(reads)) delete reads[key];
		}
	};
}

describe('10,000 conversations', () => {
	it('reads only the index entries and rows that match', async () => {
		const { db } = freshDb();
		const counter = countReads(db);
		const conversations: ConversationRow[] = [];
		const messages: MessageRow[] = [];
		for (let i = 0; i < 10_000; i++) {
			conversations.push(titled(`c${i}`, i, `Conversation ${i}`));
			for (let j = 0; j < 2; j++)
				messages.push(
					msg(`c${i}`, `c${i}-a`, j, {
						content: i === 4242 && j === 1 ? 'a palindrome' : `topic${i % 50}`
					})
				);
		}
		// Only the index is stored: a search never reads messages (the counts below show it), and
		// fake-indexeddb writes slowly, so two messages each keep the test short.
		await db.transaction('rw', db.conversations, db.searchTerms, async () => {
			await db.conversations.bulkPut(conversations);
			await indexAll(db.searchTerms, conversations, messages);
		});

		counter.reset();
		expect(await ids(db, 'palin')).toEqual(['c4242']);
		// One index key and one conversation: no message, no other conversation, no cursor.
		expect(counter.reads).toEqual({
			searchTerms: { rows: 0, keys: 1, cursors: 0 },
			conversations: { rows: 1, keys: 0, cursors: 0 }
		});

		// A term that matches nothing ends the search before any key is read.
		counter.reset();
		expect(await ids(db, 'conversation golang')).toEqual([]);
		expect(counter.reads).toEqual({});

		counter.reset();
		expect(await ids(db, 'conversation palin')).toEqual(['c4242']);
		expect(counter.reads.conversations?.rows).toBe(1);

		// Matching many: the newest page is read, not every match.
		counter.reset();
		const many = await searchConversations(db, 'topic1');
		// topic1 and topic10…topic19: 11 of every 50.
		expect(many?.total).toBe(2200);
		expect(many?.rows.map((c) => c.id).slice(0, 3)).toEqual(['c9969', 'c9968', 'c9967']);
		expect(many?.rows).toHaveLength(200);
		expect(counter.reads.conversations?.rows).toBe(200);
		expect(counter.reads.messages).toBeUndefined();
	}, 120_000);
});
