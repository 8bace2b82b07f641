/** AppState on a fake IndexedDB and a fake fetch: New chat, the URL, undo, fork, rename. */
import { textOf } from '../../../src/lib/db/rows.ts';
import { describe, expect, it, vi } from 'vitest';
import { AppState } from '../../../src/lib/state/app.svelte.ts';
import { DEMO_PRESET } from '../../../src/lib/state/presets.svelte.ts';
import { getConversation, listConversations } from '../../../src/lib/db/conversations.ts';
import { listMessages, putMessage } from '../../../src/lib/db/messages.ts';
import { putConversation } from '../../../src/lib/db/conversations.ts';
import { LATEST_SHOWN } from '../../../src/lib/state/column.svelte.ts';
import { conv, freshDb, msg } from '../db/helpers.ts';
import { FAKE_BASE_URL, useFakeFetch } from './fakes.ts';

/** While `gate` is set, a whole thread read from storage arrives only once it resolves. */
const wholeThread = vi.hoisted(() => ({ gate: undefined as Promise<void> | undefined }));
vi.mock('../../../src/lib/db/messages.ts', async (importOriginal) => {
	const actual = await importOriginal<typeof import('../../../src/lib/db/messages.ts')>();
	return {
		...actual,
		listMessages: async (...args: Parameters<typeof actual.listMessages>) => {
			const rows = await actual.listMessages(...args);
			await wholeThread.gate;
			return rows;
		}
	};
});

/** A location and history that keep the hash, as the browser's do. */
function fakeUrl(hash = '') {
	const url = { hash, replaced: 0 };
	vi.stubGlobal('location', {
		get hash() {
			return url.hash;
		},
		pathname: '/playground/',
		search: ''
	});
	vi.stubGlobal('history', {
		replaceState(_state: unknown, _title: string, next: string) {
			url.replaced++;
			const at = next.indexOf('#');
			url.hash = at < 0 ? '' : next.slice(at);
		}
	});
	return url;
}

function fail(): never {
	throw new Error('missing');
}

function firstColumn(app: AppState) {
	return app.current.columns[0] ?? fail();
}

async function started(hash = '') {
	const url = fakeUrl(hash);
	const { db } = freshDb();
	const app = new AppState(db);
	await app.init();
	return { app, db, url };
}

/** Point the open conversation's first column at the fake endpoint. */
function connect(app: AppState, model = 'm') {
	const column = firstColumn(app);
	column.setEndpoint({ baseUrl: FAKE_BASE_URL, apiKey: 'sk-mine' });
	column.setModel(model);
	return column;
}

async function sendAndSettle(app: AppState, text: string) {
	const result = await app.send(text);
	if (!result.accepted) throw new Error('refused');
	await result.answers;
	await app.exportData(false);
	await vi.waitFor(async () => expect(await getConversation(app.db, app.current.id)).toBeDefined());
}

describe('New chat', () => {
	it('keeps the endpoint, model and preset, starts from the preset’s parameters and no system prompt', async () => {
		const { app } = await started();
		const preset = await app.presets.save({
			name: 'Gateway',
			endpoint: { ...DEMO_PRESET.endpoint, baseUrl: FAKE_BASE_URL, apiKey: 'sk-gw' },
			model: 'gpt-x',
			params: { temperature: '0.2', stream: true }
		});
		const column = firstColumn(app);
		column.pickPreset(preset);
		column.setModel('gpt-y');
		column.setParam('temperature', '1.7');
		column.setParam('seed', '42');
		column.setSystem('You are a pirate.');
		column.setPrices({ input: 1, output: 2 });

		app.newChat();
		const fresh = firstColumn(app);
		expect(fresh).not.toBe(column);
		expect(fresh.presetId).toBe(preset.id);
		expect(fresh.endpoint.baseUrl).toBe(FAKE_BASE_URL);
		expect(fresh.endpoint.apiKey).toBe('sk-gw');
		expect(fresh.model).toBe('gpt-y');
		expect(fresh.params).toEqual({ temperature: '0.2', stream: true });
		expect(fresh.system).toBe('');
		expect(fresh.prices).toEqual({ input: 1, output: 2 });
		expect(app.current.columns).toHaveLength(1);
	});

	it('without a preset keeps the connection and streaming, and drops the other parameters', async () => {
		const { app } = await started();
		const column = connect(app);
		expect(column.presetId).toBeUndefined();
		column.setParam('temperature', '1.7');
		column.setParam('stream', false);
		column.setSystem('Be terse.');
		app.addColumn();
		app.newChat();
		const fresh = firstColumn(app);
		expect(fresh.endpoint).toMatchObject({ baseUrl: FAKE_BASE_URL, apiKey: 'sk-mine' });
		expect(fresh.model).toBe('m');
		// How answers arrive belongs to the connection; what is asked of the model does not.
		expect(fresh.params).toEqual({ stream: false, include_usage: true });
		expect(fresh.system).toBe('');
		expect(app.current.columns).toHaveLength(1);
	});

	it('starts from the demo on first start', async () => {
		const { app } = await started();
		expect(app.current.columns[0]?.presetId).toBe(DEMO_PRESET.id);
		app.newChat();
		expect(app.current.columns[0]?.presetId).toBe(DEMO_PRESET.id);
		expect(app.current.columns[0]?.params).toEqual(DEMO_PRESET.params);
	});
});

describe('the URL names the conversation on screen', () => {
	it('names a conversation once saved, another opened, and none after New chat', async () => {
		useFakeFetch({ content: 'ok' });
		const { app, url } = await started();
		expect(url.hash).toBe('');
		connect(app);
		await sendAndSettle(app, 'first');
		const first = app.current.id;
		expect(url.hash).toBe(`#/c/${first}`);

		app.newChat();
		expect(url.hash).toBe('');
		connect(app);
		await sendAndSettle(app, 'second');
		const second = app.current.id;
		expect(url.hash).toBe(`#/c/${second}`);

		await app.open(first);
		expect(url.hash).toBe(`#/c/${first}`);
		app.newChat();
		// A reload now must not open `first` again.
		expect(url.hash).toBe('');
	});

	it('opens the conversation the URL names at start, over the last one used', async () => {
		useFakeFetch({ content: 'ok' });
		const { app, db } = await started();
		connect(app);
		await sendAndSettle(app, 'linked');
		const linked = app.current.id;
		app.newChat();
		connect(app);
		await sendAndSettle(app, 'last used');

		fakeUrl(`#/c/${linked}`);
		const again = new AppState(db);
		await again.init();
		expect(again.current.id).toBe(linked);
		expect(location.hash).toBe(`#/c/${linked}`);
	});

	it('puts the URL back when it names a conversation that does not exist', async () => {
		const { app, url } = await started('#/c/deadbeef');
		expect(app.current.persisted).toBe(false);
		expect(url.hash).toBe('');
		expect(await app.open('nope')).toBe(false);
		expect(url.hash).toBe('');
	});

	it('names no conversation after deleting the one on screen', async () => {
		useFakeFetch({ content: 'ok' });
		const { app, url } = await started();
		connect(app);
		await sendAndSettle(app, 'doomed');
		await app.remove(app.current.id);
		expect(url.hash).toBe('');
	});
});

describe('History', () => {
	it('a rename keeps the conversation’s place', async () => {
		useFakeFetch({ content: 'ok' });
		const { app } = await started();
		connect(app);
		await sendAndSettle(app, 'older');
		const older = app.current.id;
		app.newChat();
		connect(app);
		await sendAndSettle(app, 'newer');
		await app.rename(older, 'Renamed');
		expect(app.history.map((c) => c.title)).toEqual(['newer', 'Renamed']);
	});

	it('deletes a conversation with an undo that brings it back', async () => {
		useFakeFetch({ content: 'ok' });
		const { app, db } = await started();
		connect(app);
		await sendAndSettle(app, 'keep me');
		const id = app.current.id;
		await app.remove(id);
		expect(app.current.id).not.toBe(id);
		expect(await listConversations(db)).toEqual([]);
		await app.undoRemove();
		expect((await listConversations(db)).map((c) => c.id)).toEqual([id]);
		expect(await listMessages(db, id)).toHaveLength(2);
	});

	it('forks a column’s thread up to a message into a new conversation', async () => {
		useFakeFetch({ content: 'one' }, { content: 'two' });
		const { app, db } = await started();
		connect(app);
		await sendAndSettle(app, 'a');
		await sendAndSettle(app, 'b');
		const source = app.current;
		const column = source.columns[0] ?? fail();
		const firstAnswer = column.messages[1] ?? fail();
		await app.fork(column, firstAnswer.id);
		expect(app.current.id).not.toBe(source.id);
		expect(app.current.columns[0]?.messages.map((m) => `${m.role}: ${textOf(m)}`)).toEqual([
			'user: a',
			'assistant: one'
		]);
		expect(app.current.columns[0]?.model).toBe('m');
		// The source is untouched.
		expect(await listMessages(db, source.id)).toHaveLength(4);
	});
});

describe('a long conversation', () => {
	it('opens on its latest turns before the rest is read, and Send waits for the whole thread', async () => {
		const fake = useFakeFetch({ content: 'fine' });
		const { db } = freshDb();
		await putConversation(db, conv('long', 1, ['k']));
		const row = (await getConversation(db, 'long')) ?? fail();
		await putConversation(db, {
			...row,
			columns: row.columns.map((c) => ({
				...c,
				endpoint: { ...c.endpoint, baseUrl: FAKE_BASE_URL }
			}))
		});
		for (let seq = 1; seq <= 60; seq++) await putMessage(db, msg('long', 'k', seq));
		fakeUrl();
		const app = new AppState(db);
		await app.init();
		let release = () => {};
		wholeThread.gate = new Promise<void>((resolve) => (release = resolve));
		const opening = app.open('long');
		await vi.waitFor(() => expect(app.current.id).toBe('long'));
		const column = firstColumn(app);
		expect(column.shownMessages.map(textOf)).toEqual(
			Array.from({ length: LATEST_SHOWN }, (_, i) => `text ${60 - LATEST_SHOWN + 1 + i}`)
		);
		const sending = app.send('next');
		wholeThread.gate = undefined;
		// Time enough for a Send that did not wait to reach the wire with the latest turns only.
		await new Promise((resolve) => setTimeout(resolve, 100));
		release();
		await opening;
		const result = await sending;
		if (!result.accepted) throw new Error('refused');
		await result.answers;
		// The whole thread, its older part still unrendered, then the new turn.
		expect(column.messages).toHaveLength(62);
		expect(column.olderCount).toBe(60 - LATEST_SHOWN);
		expect(fake.sent[0]?.map((m) => m.content)).toEqual([
			...Array.from({ length: 60 }, (_, i) => `text ${i + 1}`),
			'next'
		]);
	});
});

describe('undo', () => {
	it('deleting a message offers Undo, which puts it back in place', async () => {
		useFakeFetch({ content: 'one' }, { content: 'two' });
		const { app, db } = await started();
		const column = connect(app);
		await sendAndSettle(app, 'a');
		await sendAndSettle(app, 'b');
		const target = column.messages[1] ?? fail();
		app.removeMessage(column, target.id);
		expect(column.messages.map(textOf)).toEqual(['a', 'b', 'two']);
		const notice = app.workspace.notice;
		expect(notice?.message.key).toBe('message.deleted');
		notice?.action?.run();
		expect(column.messages.map(textOf)).toEqual(['a', 'one', 'b', 'two']);
		expect(app.workspace.notice).toBeUndefined();
		await app.exportData(false);
		expect((await listMessages(db, app.current.id)).map(textOf)).toEqual(['a', 'one', 'b', 'two']);
	});

	it('deleting a preset unties its columns and offers Undo', async () => {
		const { app } = await started();
		const preset = await app.presets.save({
			name: 'GW',
			endpoint: { ...DEMO_PRESET.endpoint, baseUrl: FAKE_BASE_URL },
			model: 'x',
			params: {}
		});
		app.current.columns[0]?.pickPreset(preset);
		await app.removePreset(preset.id);
		expect(app.presets.find(preset.id)).toBeUndefined();
		expect(app.current.columns[0]?.presetId).toBeUndefined();
		app.workspace.notice?.action?.run();
		await vi.waitFor(() => expect(app.presets.find(preset.id)?.name).toBe('GW'));
	});
});

describe('saving settings while typing', () => {
	it('writes the conversation once typing pauses, not on every keystroke, and says when it is saved', async () => {
		useFakeFetch();
		const { app, db } = await started();
		connect(app);
		await sendAndSettle(app, 'hello');
		await vi.waitFor(() => expect(app.saved).toBe(true));
		const puts = vi.spyOn(db.conversations, 'put');
		const column = firstColumn(app);
		const url = `${FAKE_BASE_URL}/typed`;
		for (let i = 1; i <= url.length; i++) column.setEndpoint({ baseUrl: url.slice(0, i) });
		expect(app.saved).toBe(false);
		expect(puts).not.toHaveBeenCalled();
		await vi.waitFor(() => expect(app.saved).toBe(true));
		expect(puts).toHaveBeenCalledTimes(1);
		expect((await getConversation(db, app.current.id))?.columns[0]?.endpoint.baseUrl).toBe(url);
	});

	it('does not write back a conversation deleted while its save was waiting', async () => {
		useFakeFetch();
		const { app, db } = await started();
		connect(app);
		await sendAndSettle(app, 'hello');
		const id = app.current.id;
		firstColumn(app).setModel('edited');
		await app.remove(id);
		await vi.waitFor(() => expect(app.saved).toBe(true));
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(await getConversation(db, id)).toBeUndefined();
	});
});
