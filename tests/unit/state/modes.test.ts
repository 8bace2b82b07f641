/** Modes on fakes and the offline demo: per-mode settings, what goes out, what is kept. */
import { describe, expect, it } from 'vitest';
import { ColumnState } from '../../../src/lib/state/column.svelte.ts';
import { ConversationState } from '../../../src/lib/state/conversation.svelte.ts';
import { DEMO_PRESET } from '../../../src/lib/state/presets.svelte.ts';
import type { ColumnRow } from '../../../src/lib/db/rows.ts';
import { DEFAULT_ENDPOINT } from '../../../src/lib/wire/endpoint.ts';
import { composerWords } from '../../../src/lib/state/composer-words.ts';
import { FAKE_BASE_URL, fakeStore, roles, useFakeFetch } from './fakes.ts';

/** A conversation of `modes.length` columns on the offline demo, one mode each. */
function onDemo(...modes: Array<'chat' | 'images' | 'speech' | 'transcription'>) {
	const store = fakeStore();
	const c = new ConversationState(store);
	for (let i = 1; i < modes.length; i++) c.addColumn();
	c.columns.forEach((col, i) => {
		col.applyPreset(DEMO_PRESET);
		col.setMode(modes[i] ?? 'chat');
	});
	return { c, store, col: (i: number) => c.columns[i] ?? fail(`no column ${i}`) };
}

function fail(why: string): never {
	throw new Error(why);
}

async function settle(result: Awaited<ReturnType<ConversationState['send']>>) {
	if (!result.accepted) throw new Error('send refused');
	return result.answers;
}

const wav = () => ({
	blob: new Blob([new Uint8Array(1500)], { type: 'audio/wav' }),
	name: 'meeting.wav'
});

describe('a column in modes', () => {
	it('keeps a model and parameters per mode, and brings them back', () => {
		const col = new ColumnState();
		col.setModel('gpt-4o');
		col.setParam('temperature', '0.2');
		col.setMode('images');
		expect([col.mode, col.model, col.params]).toEqual(['images', '', {}]);
		col.setModel('gpt-image-1');
		col.setParam('size', '1024x1024');
		col.setMode('chat');
		expect([col.model, col.params]).toEqual(['gpt-4o', { temperature: '0.2' }]);
		col.setMode('images');
		expect([col.model, col.params]).toEqual(['gpt-image-1', { size: '1024x1024' }]);

		const stored = new ColumnState(col.toRow());
		expect(stored.mode).toBe('images');
		expect(stored.model).toBe('gpt-image-1');
		stored.setMode('chat');
		expect([stored.model, stored.params]).toEqual(['gpt-4o', { temperature: '0.2' }]);
	});

	it('opens a column stored before modes in chat, and stores it as it was', () => {
		const row: ColumnRow = {
			id: 'c1',
			endpoint: { ...DEFAULT_ENDPOINT, baseUrl: FAKE_BASE_URL },
			model: 'm',
			params: { temperature: '1' },
			system: ''
		};
		const col = new ColumnState(row);
		expect(col.mode).toBe('chat');
		expect(col.toRow()).toEqual({ ...row, prices: {} });
	});

	it('compares a preset with the chat settings, whatever mode is shown', () => {
		const col = new ColumnState();
		col.applyPreset(DEMO_PRESET);
		col.setMode('speech');
		col.setModel('tts-1');
		expect(col.differsFrom(DEMO_PRESET)).toBe(false);
		col.setMode('chat');
		col.setModel('other');
		expect(col.differsFrom(DEMO_PRESET)).toBe(true);
	});
});

describe('media turns', () => {
	it('keeps a generated image as a stored PNG, and never sends a media turn as chat', async () => {
		const { c, store, col } = onDemo('images');
		await settle(await c.send('a red fox'));
		const [prompt, result] = col(0).messages;
		expect([prompt?.role, prompt?.mode, prompt?.content]).toEqual(['user', 'images', 'a red fox']);
		expect([result?.mode, result?.answer?.status]).toEqual(['images', 'done']);
		const file = result?.media?.images?.[0]?.file ?? fail('no stored image');
		expect(file.mime).toBe('image/png');
		const bytes = new Uint8Array(await (store.files.get(file.blobId) ?? fail('')).arrayBuffer());
		expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');

		const wire = useFakeFetch({ content: 'hi' });
		col(0).setMode('chat');
		col(0).setEndpoint({ baseUrl: FAKE_BASE_URL });
		await settle(await c.send('hello'));
		expect(roles(wire.sent[0])).toEqual(['user: hello']);
	});

	it('sends one prompt to every column, each answering in its own mode', async () => {
		const { c, col } = onDemo('chat', 'speech');
		await settle(await c.send('Say hello'));
		expect(col(0).messages.at(-1)?.answer?.choices[0]?.content).toBeTruthy();
		const speech = col(1).messages.at(-1);
		expect([speech?.mode, speech?.media?.audio?.mime, speech?.media?.audio?.name]).toEqual([
			'speech',
			'audio/wav',
			'speech.wav'
		]);
	});

	it('refuses a transcription without a file: nothing is sent and the composer is told why', async () => {
		const { c, col } = onDemo('transcription');
		const result = await c.send('names: Ada');
		expect(result.accepted).toBe(false);
		expect(c.inputProblem).toEqual({ key: 'media.error.file' });
		expect(col(0).messages).toEqual([]);
	});

	it('transcribes a file, and Retry sends the stored file again', async () => {
		const { c, col } = onDemo('transcription');
		await settle(await c.send('', [], wav()));
		const first = col(0).messages.at(-1);
		expect(first?.media?.transcript?.text).toContain('meeting.wav');
		expect(col(0).messages[0]?.media?.input).toMatchObject({ name: 'meeting.wav', size: 1500 });
		await c.retry(col(0));
		const again = col(0).messages.at(-1);
		expect(again?.id).not.toBe(first?.id);
		expect(again?.media?.transcript?.text).toContain('meeting.wav');
		expect(col(0).messages).toHaveLength(2);
	});

	it('an audio file alone gives a chat column nothing to send: refused, said why', async () => {
		const { c } = onDemo('chat', 'transcription');
		const result = await c.send('', [], wav());
		expect(result.accepted).toBe(false);
		expect(c.inputProblem).toEqual({ key: 'modes.error.noMessage' });
	});
});

describe('a new chat after a column in a mode', () => {
	it('keeps the mode and each mode’s model, but none of the parameters tuned', () => {
		const from = new ColumnState();
		from.applyPreset(DEMO_PRESET);
		from.setParam('temperature', '0.1');
		from.setMode('speech');
		from.setModel('tts-1');
		from.setParam('voice', 'nova');
		const next = new ColumnState();
		next.startFrom(from, DEMO_PRESET);
		expect([next.mode, next.model, next.params]).toEqual(['speech', 'tts-1', {}]);
		next.setMode('chat');
		expect([next.model, next.params]).toEqual([DEMO_PRESET.model, DEMO_PRESET.params]);
	});
});

describe('the composer’s words for the columns’ modes', () => {
	it('speaks the mode when every column is in it, and says so when modes are mixed', () => {
		expect(composerWords(['images'], 2)).toMatchObject({
			label: 'modes.prompt',
			send: 'modes.generate'
		});
		expect(composerWords(['speech'], 1)).toMatchObject({
			label: 'modes.text',
			send: 'modes.speak'
		});
		expect(composerWords(['transcription'], 1)).toMatchObject({
			label: 'modes.transcriptionPrompt',
			send: 'modes.transcribe'
		});
		expect(composerWords(['chat'], 1)).toMatchObject({
			label: 'composer.message',
			hint: 'composer.hint',
			send: 'composer.send'
		});
		expect(composerWords(['chat', 'images'], 2)).toMatchObject({
			label: 'composer.message',
			hint: 'modes.hint.mixed',
			send: 'composer.send'
		});
	});
});
