/** ConversationState on fakes: what goes on the wire and what is kept, for every verb. */
import { textOf } from '../../../src/lib/db/rows.ts';
import { describe, expect, it, vi } from 'vitest';
import { ConversationState, MAX_COLUMNS } from '../../../src/lib/state/conversation.svelte.ts';
import { FAKE_BASE_URL, fakeStore, roles, useFakeFetch } from './fakes.ts';
import { image } from '../util/images.ts';

/** A conversation whose columns talk to the fake endpoint, not streaming. */
function conversation(columns = 1) {
	const store = fakeStore();
	const c = new ConversationState(store);
	for (let i = 1; i < columns; i++) c.addColumn();
	c.columns.forEach((col, i) => {
		col.setEndpoint({ baseUrl: FAKE_BASE_URL });
		col.setModel(`model-${i}`);
	});
	return { c, store };
}

/** Send and wait until every column has settled; the answers. */
async function sent(c: ConversationState, text: string) {
	const result = await c.send(text);
	if (!result.accepted) throw new Error('send refused');
	return result.answers;
}

function columnOf(c: ConversationState, i: number) {
	const column = c.columns[i];
	if (!column) throw new Error(`no column ${i}`);
	return column;
}

describe('send', () => {
	it("builds each column's request once, with an attached image inline, and sends that one", async () => {
		const wire = useFakeFetch({ content: 'a' }, { content: 'b' });
		const { c } = conversation(2);
		const builds = c.columns.map((col) => vi.spyOn(col, 'prepare'));
		const png = await image('png');
		const result = await c.send('look', [{ kind: 'file', blob: png, name: 'p.png' }]);
		if (!result.accepted) throw new Error('send refused');
		await result.answers;
		expect(builds.map((b) => b.mock.calls.length)).toEqual([1, 1]);
		expect(wire.sent.map((m) => m[0]?.content)).toEqual([
			[
				{ type: 'text', text: 'look' },
				{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }
			],
			[
				{ type: 'text', text: 'look' },
				{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }
			]
		]);
	});

	it('sends the system prompt and the thread, and keeps both turns', async () => {
		const wire = useFakeFetch({ content: 'one' }, { content: 'two' });
		const { c, store } = conversation();
		c.columns[0]?.setSystem('Be brief.');
		await sent(c, 'hello');
		await sent(c, 'again');
		expect(roles(wire.sent[1])).toEqual([
			'system: Be brief.',
			'user: hello',
			'assistant: one',
			'user: again'
		]);
		expect(c.title).toBe('hello');
		expect(c.persisted).toBe(true);
		expect([...store.messages.values()].map((m) => m.role)).toEqual([
			'user',
			'assistant',
			'user',
			'assistant'
		]);
	});

	it('refuses an empty message and a column that does not validate, sending nothing', async () => {
		const wire = useFakeFetch({ content: 'x' });
		const { c } = conversation(2);
		expect((await c.send('   ')).accepted).toBe(false);
		c.columns[1]?.setParam('temperature', 'hot');
		expect((await c.send('hello')).accepted).toBe(false);
		expect(c.columns[1]?.errors.temperature).toBeDefined();
		expect(wire.sent).toEqual([]);
		expect(c.columns.every((col) => col.messages.length === 0)).toBe(true);
	});
});

describe('sending again after every column failed', () => {
	it('sends the prompt once: the failed turn is replaced, not repeated', async () => {
		const wire = useFakeFetch({ status: 502, error: 'bad gateway' }, { content: 'fine' });
		const { c } = conversation();
		const first = await sent(c, 'X');
		expect(first[0]?.status).toBe('failed');
		// The failed answer stays visible until the resend.
		expect(c.columns[0]?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
		await sent(c, 'X');
		expect(roles(wire.sent[1])).toEqual(['user: X']);
		expect(c.columns[0]?.messages.map((m) => `${m.role}: ${textOf(m)}`)).toEqual([
			'user: X',
			'assistant: fine'
		]);
	});

	it('replaces the failed turn in every column, keeping earlier turns', async () => {
		const wire = useFakeFetch(
			{ content: 'a' },
			{ content: 'b' },
			{ status: 500, error: 'down' },
			{ status: 500, error: 'down' },
			{ content: 'c' }
		);
		const { c } = conversation(2);
		await sent(c, 'first');
		await sent(c, 'second');
		await sent(c, 'second, edited');
		expect(wire.sent.slice(4).map((m) => roles(m).filter((r) => r.startsWith('user')))).toEqual([
			['user: first', 'user: second, edited'],
			['user: first', 'user: second, edited']
		]);
		for (const col of c.columns)
			expect(col.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
				'first',
				'second, edited'
			]);
	});

	it('appends as usual when only some columns failed', async () => {
		const wire = useFakeFetch({ content: 'a' }, { status: 500, error: 'down' }, { content: 'b' });
		const { c } = conversation(2);
		await sent(c, 'X');
		await sent(c, 'Y');
		const users = wire.sent.slice(2).map((m) => roles(m).filter((r) => r.startsWith('user')));
		expect(users).toEqual([
			['user: X', 'user: Y'],
			['user: X', 'user: Y']
		]);
	});
});

describe('everyColumnFailed', () => {
	it('is true only when the last turn of every column failed', async () => {
		useFakeFetch({ status: 500, error: 'down' }, { content: 'b' }, { status: 500, error: 'down' });
		const { c } = conversation(2);
		expect(c.everyColumnFailed).toBe(false);
		await sent(c, 'X');
		expect(c.everyColumnFailed).toBe(false);
		await c.retry(columnOf(c, 1));
		expect(c.everyColumnFailed).toBe(true);
	});
});

describe('retry', () => {
	it('asks again for the failed column only, replacing its failed answer', async () => {
		const wire = useFakeFetch(
			{ content: 'a' },
			{ status: 500, error: 'down' },
			{ content: 'b, at last' }
		);
		const { c } = conversation(2);
		await sent(c, 'X');
		const [ok, failing] = [columnOf(c, 0), columnOf(c, 1)];
		expect(failing.canRetry).toBe(true);
		expect(ok.canRetry).toBe(false);
		await c.retry(failing);
		expect(wire.sent).toHaveLength(3);
		expect(roles(wire.sent[2])).toEqual(['user: X']);
		expect(wire.bodies[2]?.model).toBe('model-1');
		expect(failing.messages.map((m) => `${m.role}: ${textOf(m)}`)).toEqual([
			'user: X',
			'assistant: b, at last'
		]);
		expect(ok.messages).toHaveLength(2);
	});
});

describe('edit and resend', () => {
	it('replaces the user message, drops what followed in that column, and asks again', async () => {
		const wire = useFakeFetch({ content: 'one' }, { content: 'two' }, { content: 'edited' });
		const { c, store } = conversation();
		await sent(c, 'first');
		await sent(c, 'second');
		const column = columnOf(c, 0);
		const [first, answer] = column.messages;
		if (!first || !answer) throw new Error('no thread');
		await c.editAndResend(column, first.id, 'first, better');
		expect(roles(wire.sent[2])).toEqual(['user: first, better']);
		expect(column.messages.map((m) => `${m.role}: ${textOf(m)}`)).toEqual([
			'user: first, better',
			'assistant: edited'
		]);
		expect(column.messages[0]?.id).toBe(first.id);
		expect(store.messages.get(first.id)?.content).toBe('first, better');
		expect(store.deleted).toContain(answer.id);
	});
});

describe('regenerate', () => {
	it('replaces an answer and everything after it in its column', async () => {
		const wire = useFakeFetch({ content: 'one' }, { content: 'two' }, { content: 'one again' });
		const { c } = conversation();
		await sent(c, 'a');
		await sent(c, 'b');
		const column = columnOf(c, 0);
		const answer = column.messages[1];
		if (!answer) throw new Error('no answer');
		await c.regenerate(column, answer.id);
		expect(roles(wire.sent[2])).toEqual(['user: a']);
		expect(column.messages.map(textOf)).toEqual(['a', 'one again']);
	});
});

describe('tool results', () => {
	it('appends one tool message per call and lets the model go on', async () => {
		const wire = useFakeFetch({ content: 'calling' }, { content: 'done' });
		const { c } = conversation();
		await sent(c, 'weather?');
		const column = columnOf(c, 0);
		await c.answerTools(column, [{ id: 'call_1', content: '{"temp": 21}' }]);
		expect(wire.sent[1]?.at(-1)).toEqual({
			role: 'tool',
			tool_call_id: 'call_1',
			content: '{"temp": 21}'
		});
		expect(column.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
	});
});

describe('columns', () => {
	it('a sweep makes one column per value, labelled, each sending its own value', async () => {
		const wire = useFakeFetch({ content: 'x' });
		const { c } = conversation();
		const made = c.sweep(columnOf(c, 0), 'temperature', ['0', '0.5', '1']);
		expect(made.map((m) => m.label)).toEqual(['temperature 0', 'temperature 0.5', 'temperature 1']);
		expect(c.columns).toHaveLength(3);
		await sent(c, 'go');
		expect(wire.bodies.map((b) => b.temperature).sort()).toEqual([0, 0.5, 1]);
		expect(new Set(wire.bodies.map((b) => b.model))).toEqual(new Set(['model-0']));
	});

	it('a sweep that would pass the column limit makes nothing', () => {
		const { c } = conversation(2);
		expect(c.sweepRoom).toBe(MAX_COLUMNS - 1);
		const values = Array.from({ length: MAX_COLUMNS }, (_, i) => String(i / 10));
		expect(c.sweep(columnOf(c, 0), 'temperature', values)).toEqual([]);
		expect(c.columns).toHaveLength(2);
		expect(c.sweep(columnOf(c, 0), 'temperature', values.slice(1))).toHaveLength(MAX_COLUMNS - 1);
		expect(c.sweepRoom).toBe(1);
	});

	it('apply to all gives every column one column’s value', () => {
		const { c } = conversation(3);
		columnOf(c, 1).setParam('seed', '7');
		c.applyToAll(columnOf(c, 1), 'seed');
		expect(c.columns.map((col) => col.params.seed)).toEqual(['7', '7', '7']);
	});

	it('add column copies the last column’s settings, up to the limit', () => {
		const { c } = conversation();
		columnOf(c, 0).setSystem('Be kind.');
		const added = c.addColumn();
		expect(added?.system).toBe('Be kind.');
		expect(added?.model).toBe('model-0');
		while (c.canAddColumn) c.addColumn();
		expect(c.columns).toHaveLength(MAX_COLUMNS);
		expect(c.addColumn()).toBeUndefined();
	});

	it('remove column deletes its thread and keeps the others, never the last column', async () => {
		useFakeFetch({ content: 'x' });
		const { c, store } = conversation(2);
		await sent(c, 'hi');
		const [keep, gone] = [columnOf(c, 0), columnOf(c, 1)];
		const goneIds = gone.messages.map((m) => m.id);
		c.removeColumn(gone);
		expect(c.columns).toEqual([keep]);
		expect(store.deleted).toEqual(goneIds);
		expect(keep.messages).toHaveLength(2);
		c.removeColumn(keep);
		expect(c.columns).toEqual([keep]);
	});
});

describe('undo a deleted message', () => {
	it('puts it back in its place and saves it again', async () => {
		useFakeFetch({ content: 'one' }, { content: 'two' });
		const { c, store } = conversation();
		await sent(c, 'a');
		await sent(c, 'b');
		const column = columnOf(c, 0);
		const row = column.messages[1];
		if (!row) throw new Error('no answer');
		c.deleteMessages(column, [row.id]);
		expect(store.messages.has(row.id)).toBe(false);
		c.restoreMessages(column, [row]);
		expect(column.messages.map(textOf)).toEqual(['a', 'one', 'b', 'two']);
		expect(store.messages.get(row.id)?.answer?.choices[0]?.content).toBe('one');
	});
});

describe('saving', () => {
	it('an empty chat is not saved; the first message saves it, and edits after that save again', async () => {
		useFakeFetch({ content: 'x' });
		const { c, store } = conversation();
		columnOf(c, 0).setParam('temperature', '0.3');
		expect(store.conversationWrites).toBe(0);
		await sent(c, 'hi');
		expect(store.conversations.get(c.id)?.title).toBe('hi');
		const writes = store.conversationWrites;
		columnOf(c, 0).setModel('other');
		expect(store.conversationWrites).toBe(writes + 1);
		expect(store.conversations.get(c.id)?.columns[0]?.model).toBe('other');
	});
});
