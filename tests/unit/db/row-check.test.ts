/** Stored rows are checked when a conversation loads: a bad one never takes the rest with it. */
import { describe, expect, it } from 'vitest';
import { listMessages } from '../../../src/lib/db/messages.ts';
import { loadConversation, putConversation } from '../../../src/lib/db/conversations.ts';
import { readMessage } from '../../../src/lib/db/row-check.ts';
import { textOf, type MessageRow } from '../../../src/lib/db/rows.ts';
import { conv, freshDb, msg } from './helpers.ts';

const call = (id: string) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } });

function assistant(seq: number, choice: Record<string, unknown>): MessageRow {
	return msg('c', 'c-a', seq, {
		role: 'assistant',
		answer: {
			choices: [{ index: 0, content: '', reasoning: '', toolCalls: [], ...choice }],
			timing: { startedAt: 1 },
			status: 'done'
		} as unknown as MessageRow['answer']
	});
}

describe('listMessages checks what it loads', () => {
	it('drops holes and nulls in a tool-call list and keeps the calls', async () => {
		const { db } = freshDb();
		// eslint-disable-next-line no-sparse-arrays
		const sparse = [, call('call_1'), null, call('call_3')];
		await db.messages.put(assistant(1, { toolCalls: sparse }));
		const [row] = await listMessages(db, 'c');
		expect(row?.answer?.choices[0]?.toolCalls).toEqual([call('call_1'), call('call_3')]);
		expect(row?.answer?.error).toBeUndefined();
	});

	it('shows a row it cannot read as a placeholder naming it, and opens the rest', async () => {
		const { db } = freshDb();
		await db.messages.put(msg('c', 'c-a', 1, { content: 'before' }));
		await db.messages.put(assistant(2, { content: 42 }));
		await db.messages.put(msg('c', 'c-a', 3, { content: 'after' }));
		const rows = await listMessages(db, 'c');
		expect(rows.map(textOf)).toEqual(['before', '', 'after']);
		const bad = rows[1];
		expect(bad).toMatchObject({ id: 'c/c-a/2', columnId: 'c-a', seq: 2, role: 'assistant' });
		expect(bad?.answer?.choices).toEqual([]);
		expect(bad?.answer?.error?.message).toEqual({
			key: 'db.unreadable',
			vars: {
				id: 'c/c-a/2',
				detail: 'message.answer.choices[0].content: expected a string'
			}
		});
		// Settled, not failed: sending next neither replays nor replaces it.
		expect(bad?.answer?.status).toBe('done');
	});

	it.each<[string, Record<string, unknown>]>([
		['a tool call that is not an object', { toolCalls: ['call_1'] }],
		['a tool call without an id', { toolCalls: [{ type: 'function', function: { name: 'f' } }] }],
		['a choice without its tool-call list', { toolCalls: undefined }]
	])('%s makes a placeholder', async (_label, choice) => {
		const { db } = freshDb();
		await db.messages.put(assistant(1, choice));
		const [row] = await listMessages(db, 'c');
		expect(row?.answer?.error?.message.key).toBe('db.unreadable');
	});

	it('a user row with non-text content is a placeholder too', () => {
		const row = readMessage({ ...msg('c', 'c-a', 1), content: { text: 'x' } });
		expect(row.answer?.error?.message.vars?.detail).toBe('message.content: expected a string');
	});
});

describe('loadConversation checks the conversation row', () => {
	it('reads a good row, and names the problem of a bad one', async () => {
		const { db } = freshDb();
		await putConversation(db, conv('good', 1));
		expect(await loadConversation(db, 'good')).toEqual({ row: conv('good', 1) });
		await db.conversations.put({ ...conv('long', 1), title: 'x'.repeat(1_001) });
		expect(await loadConversation(db, 'long')).toEqual({
			problem: {
				key: 'db.unreadableChat',
				vars: { detail: 'conversation.title: expected at most 1000 characters' }
			}
		});
		expect(await loadConversation(db, 'none')).toBeUndefined();
	});
});
