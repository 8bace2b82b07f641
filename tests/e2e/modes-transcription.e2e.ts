/** Issue 14's transcription journeys: multipart on the wire, transcripts kept, streaming, compare, export, failures. */
import { beforeAll, describe, expect, it } from 'vitest';
import { column, expectClean, useJourney } from './journey.ts';
import {
	audioFile,
	connectMode,
	lastResult,
	openParams,
	replayCurl,
	reloadWhenSaved,
	sentOnce,
	sentModels,
	settledResult,
	twoColumns
} from './modes.ts';
import type { Gateway } from '../gateway/server.ts';
import type { Page } from 'playwright-core';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

/** Choose a file, type the optional prompt and press Transcribe. */
async function transcribe(page: Page, file: ReturnType<typeof audioFile>, prompt = '') {
	await page.getByLabel('Audio file', { exact: true }).setInputFiles(file);
	await page.getByRole('textbox', { name: 'Transcription prompt', exact: true }).fill(prompt);
	await page.getByRole('button', { name: 'Transcribe', exact: true }).click();
}

describe('transcription', () => {
	it('sends the file and fields as multipart, shows segments with times, and keeps them', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Transcription', gateway.url, 'whisper-1', 'sk-stt');
		await openParams(c);
		await c.getByLabel('Language', { exact: true }).fill('en');
		await c
			.getByRole('combobox', { name: 'Response format', exact: true })
			.selectOption('verbose_json');
		gateway.clear();
		await transcribe(s.page, audioFile('talk.wav', 3000), 'Names: Ada');
		const result = await settledResult(s.page, 1);

		const sent = sentOnce(gateway, '/v1/audio/transcriptions', 'Bearer sk-stt');
		expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(sent.form).toEqual(
			expect.arrayContaining([
				{ name: 'file', fileName: 'talk.wav', type: 'audio/wav', size: 3000 },
				{ name: 'model', value: 'whisper-1' },
				{ name: 'language', value: 'en' },
				{ name: 'prompt', value: 'Names: Ada' },
				{ name: 'response_format', value: 'verbose_json' }
			])
		);
		expect(sent.form).toHaveLength(5);
		const segments = result.locator('[data-part="transcript"] [data-segment]');
		expect(await segments.allInnerTexts()).toEqual([
			expect.stringMatching(/^0:00\.0–0:01\.0\s+Transcript of talk\.wav \(3000$/),
			expect.stringMatching(/^0:01\.0–0:02\.5\s+bytes\) by whisper-1\.$/)
		]);

		await c.getByRole('button', { name: 'Raw request', exact: true }).click();
		expect(await c.locator('[data-part="raw-request"]').innerText()).toMatch(
			/file: @talk\.wav \(audio\/wav, [\d.]+ KB\)/
		);

		await reloadWhenSaved(s.page);
		const kept = lastResult(s.page, 1).locator('[data-part="transcript"] [data-segment]');
		await kept.first().waitFor();
		await expect.poll(() => kept.count()).toBe(2);
		expect(await column(s.page, 1).locator('[data-part="sent-file"]').innerText()).toContain(
			'talk.wav'
		);
		expectClean(s);
	});

	it('shows a streamed transcript as it arrives', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Transcription', gateway.url, 'slow');
		await openParams(c);
		await c.getByRole('checkbox', { name: 'Stream', exact: true }).check();
		gateway.clear();
		await transcribe(s.page, audioFile('stream.wav', 800));
		const result = lastResult(s.page, 1);
		const transcript = result.locator('[data-part="transcript"]');
		// Part of the text while the answer is still busy: it streams.
		await expect
			.poll(async () =>
				(await result.getAttribute('aria-busy')) === 'true' && (await transcript.count())
					? (await transcript.innerText()).length
					: 0
			)
			.toBeGreaterThan(0);
		await settledResult(s.page, 1);
		expect(await transcript.innerText()).toContain('Transcript of stream.wav (800 bytes) by slow.');
		expect(gateway.mediaRequests()[0]?.form).toEqual(
			expect.arrayContaining([{ name: 'stream', value: 'true' }])
		);
	});

	it('stops on Esc, keeping the text that arrived', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Transcription', gateway.url, 'slow');
		await openParams(c);
		await c.getByRole('checkbox', { name: 'Stream', exact: true }).check();
		await transcribe(s.page, audioFile('long.wav', 4000));
		const result = lastResult(s.page, 1);
		const transcript = result.locator('[data-part="transcript"]');
		await transcript.waitFor();
		await s.page.keyboard.press('Escape');
		await expect.poll(() => result.getAttribute('aria-busy')).toBe('false');
		expect(await result.innerText()).toContain('Stopped');
		expect(await transcript.innerText()).toMatch(/^Transcript/);
		expect(await transcript.innerText()).not.toContain('by slow.');
	});

	it('shows text formats as they came (srt)', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Transcription', gateway.url, 'whisper-1');
		await openParams(c);
		await c.getByRole('combobox', { name: 'Response format', exact: true }).selectOption('srt');
		await transcribe(s.page, audioFile('cues.wav', 500));
		const result = await settledResult(s.page, 1);
		expect(await result.locator('[data-part="transcript"]').innerText()).toContain(
			'00:00:00,000 --> 00:00:01,000'
		);
	});

	it('compares two models on one file', async () => {
		const s = await journey.open();
		await twoColumns(s.page, gateway, 'Transcription', ['whisper-1', 'gpt-4o-transcribe']);
		await transcribe(s.page, audioFile('both.wav', 1200));
		for (const [n, model] of [
			[1, 'whisper-1'],
			[2, 'gpt-4o-transcribe']
		] as const) {
			const result = await settledResult(s.page, n);
			expect(await result.locator('[data-part="transcript"]').innerText()).toContain(
				`by ${model}.`
			);
		}
		expect(sentModels(gateway)).toEqual(['gpt-4o-transcribe', 'whisper-1']);
		expectClean(s);
	});

	it('exports cURL that uploads the same file and fields', async () => {
		const s = await journey.open();
		const c = await connectMode(
			s.page,
			1,
			'Transcription',
			gateway.url,
			'whisper-1',
			'sk-curl-stt'
		);
		await openParams(c);
		await c.getByRole('textbox', { name: 'Temperature', exact: true }).fill('0.2');
		gateway.clear();
		await transcribe(s.page, audioFile('my talk.wav', 2048), 'It\'s "quoted"');
		await settledResult(s.page, 1);
		const sent = gateway.mediaRequests()[0];
		const replayed = await replayCurl(c, gateway, 'sk-curl-stt', {
			'my talk.wav': audioFile('my talk.wav', 2048).buffer
		});
		const fields = (r: typeof sent) =>
			(r?.form ?? []).map((p) =>
				'value' in p ? p : { name: p.name, fileName: p.fileName, size: p.size }
			);
		expect(fields(replayed)).toEqual(fields(sent));
		expect(replayed?.headers.authorization).toBe(sent?.headers.authorization);
	});
});

describe('recording', () => {
	it('records from the microphone and transcribes the recording', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Transcription', gateway.url, 'whisper-1');
		// The machine has no microphone: a tone stands in for one, as the browser would hand it over.
		await s.page.evaluate(() => {
			navigator.mediaDevices.getUserMedia = () => {
				const audio = new AudioContext();
				const tone = audio.createOscillator();
				const out = audio.createMediaStreamDestination();
				tone.connect(out);
				tone.start();
				return Promise.resolve(out.stream);
			};
		});
		await s.page.getByRole('button', { name: 'Record', exact: true }).click();
		await expect
			.poll(() => s.page.getByRole('status').filter({ hasText: 'Recording…' }).innerText())
			.toMatch(/Recording… [1-9]/);
		await s.page.getByRole('button', { name: 'Stop recording', exact: true }).click();
		await expect
			.poll(() => s.page.locator('[data-part="audio-file"]').innerText())
			.toMatch(/recording\.\w+/);
		gateway.clear();
		await s.page.getByRole('button', { name: 'Transcribe', exact: true }).click();
		const result = await settledResult(s.page, 1);
		const file = gateway.mediaRequests()[0]?.form?.find((p) => p.name === 'file');
		expect(file).toMatchObject({ fileName: expect.stringMatching(/^recording\.\w+$/) });
		expect(file && 'size' in file ? file.size : 0).toBeGreaterThan(0);
		expect(await result.locator('[data-part="transcript"]').innerText()).toContain('recording.');
	});

	it('says so when the microphone is refused, and keeps what was typed', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Transcription', gateway.url, 'whisper-1');
		await s.page.evaluate(() => {
			navigator.mediaDevices.getUserMedia = () =>
				Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
		});
		const box = s.page.getByRole('textbox', { name: 'Transcription prompt', exact: true });
		await box.fill('keep me');
		await s.page.getByRole('button', { name: 'Record', exact: true }).click();
		await expect
			.poll(() => s.page.getByRole('alert').allInnerTexts())
			.toContain('The microphone could not be used: Permission denied');
		expect(await box.inputValue()).toBe('keep me');
	});

	it('offers no Record button where the browser cannot record', async () => {
		const s = await journey.open({
			before: (context) =>
				context.addInitScript(() => {
					Reflect.deleteProperty(window, 'MediaRecorder');
				})
		});
		await connectMode(s.page, 1, 'Transcription', gateway.url, 'whisper-1');
		await s.page.getByLabel('Audio file', { exact: true }).waitFor({ state: 'attached' });
		expect(await s.page.getByRole('button', { name: 'Record', exact: true }).count()).toBe(0);
	});
});

describe('transcription that fails', () => {
	it('sends nothing without a file and says why next to the composer', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Transcription', gateway.url, 'whisper-1');
		gateway.clear();
		await s.page
			.getByRole('textbox', { name: 'Transcription prompt', exact: true })
			.fill('no file yet');
		await s.page.getByRole('button', { name: 'Transcribe', exact: true }).click();
		await expect
			.poll(() => s.page.getByRole('alert').allInnerTexts())
			.toContain('Choose an audio file (or record one).');
		expect(gateway.mediaRequests()).toHaveLength(0);
		expect(
			await s.page.getByRole('textbox', { name: 'Transcription prompt', exact: true }).inputValue()
		).toBe('no file yet');
	});

	it('shows the server words of an HTTP error, and keeps the file for another try', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Transcription', gateway.url, 'error-401-json');
		await transcribe(s.page, audioFile('denied.wav', 100));
		const result = await settledResult(s.page, 1);
		expect(await result.locator('[data-part="error"][role="alert"]').innerText()).toContain(
			'Invalid API key'
		);
		await expect
			.poll(() => s.page.locator('[data-part="audio-file"]').innerText())
			.toContain('denied.wav');
	});
});
