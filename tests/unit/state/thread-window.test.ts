/** A long thread opens on its latest messages; older ones are shown in batches on request. */
import { describe, expect, it } from 'vitest';
import { ColumnState, LATEST_SHOWN, OLDER_BATCH } from '../../../src/lib/state/column.svelte.ts';
import type { MessageRow } from '../../../src/lib/db/rows.ts';

const row = (seq: number): MessageRow => ({
	id: `m${seq}`,
	conversationId: 'c',
	columnId: 'k',
	seq,
	role: seq % 2 ? 'assistant' : 'user',
	content: `turn ${seq}`,
	createdAt: seq,
	updatedAt: seq
});

const rows = (n: number): MessageRow[] => Array.from({ length: n }, (_, seq) => row(seq));

const ids = (column: ColumnState) => column.shownMessages.map((m) => m.id);

describe('thread window', () => {
	it('opens a 2,000-message thread on its latest messages, all of them still in the thread', () => {
		const column = new ColumnState();
		column.replaceMessages(rows(2000));
		expect(column.messages).toHaveLength(2000);
		expect(column.shownMessages).toHaveLength(LATEST_SHOWN);
		expect(column.shownMessages.at(-1)?.id).toBe('m1999');
		expect(column.olderCount).toBe(2000 - LATEST_SHOWN);
	});

	it('shows a short thread whole', () => {
		const column = new ColumnState();
		column.replaceMessages(rows(5));
		expect(ids(column)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
		expect(column.olderCount).toBe(0);
	});

	it('shows older messages a batch at a time, down to the first', () => {
		const column = new ColumnState();
		column.replaceMessages(rows(100));
		column.showOlder();
		expect(column.shownMessages).toHaveLength(LATEST_SHOWN + OLDER_BATCH);
		expect(column.shownMessages[0]?.id).toBe(`m${100 - LATEST_SHOWN - OLDER_BATCH}`);
		let batches = 1;
		while (column.olderCount > 0) {
			column.showOlder();
			batches++;
		}
		expect(batches).toBe(Math.ceil((100 - LATEST_SHOWN) / OLDER_BATCH));
		expect(ids(column)).toEqual(rows(100).map((m) => m.id));
		column.showOlder();
		expect(column.shownMessages).toHaveLength(100);
	});

	it('a new message is shown at once and nothing shown goes out of view', () => {
		const column = new ColumnState();
		column.replaceMessages(rows(50));
		const before = ids(column);
		column.append({ ...row(50), id: 'new' });
		expect(ids(column)).toEqual([...before, 'new']);
		expect(column.olderCount).toBe(50 - LATEST_SHOWN);
	});

	it('deleting keeps the same messages in view; undo brings them back in view', () => {
		const column = new ColumnState();
		column.replaceMessages(rows(50));
		const shown = ids(column);
		// One unrendered message (m0) and the last two (a regenerate) go.
		column.removeMessages(['m0', 'm48', 'm49']);
		expect(ids(column)).toEqual(shown.slice(0, -2));
		expect(column.olderCount).toBe(50 - LATEST_SHOWN - 1);
		column.restoreMessages([row(48), row(49)]);
		expect(ids(column)).toEqual(shown);
		// Undoing the deletion of an older message shows it too, where it belongs.
		column.restoreMessages([row(0)]);
		expect(column.shownMessages[0]?.id).toBe('m0');
		expect(column.messages.map((m) => m.id)).toEqual(rows(50).map((m) => m.id));
	});

	it('opening another thread starts again from its latest messages', () => {
		const column = new ColumnState();
		column.replaceMessages(rows(100));
		while (column.olderCount > 0) column.showOlder();
		column.replaceMessages(rows(60));
		expect(column.shownMessages).toHaveLength(LATEST_SHOWN);
	});
});
