/** Issue 14's speech journeys: the request on the wire, audio kept and playable, streaming, Stop, compare, export, failures. */
import { beforeAll, describe, expect, it } from 'vitest';
import { column, expectClean, useJourney } from './journey.ts';
import {
	ask,
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

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

/** How long the audio element says its audio lasts, once it has read it. */
const duration = (audio: import('playwright-core').Locator) =>
	audio.evaluate((el) => (el as HTMLAudioElement).duration);

describe('speech', () => {
	it('sends text, voice, format and speed, plays the answer and keeps it after a reload', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Speech', gateway.url, 'tts-1', 'sk-tts');
		await openParams(c);
		await c.getByLabel('Voice', { exact: true }).fill('nova');
		await c.getByRole('combobox', { name: 'Format', exact: true }).selectOption('wav');
		await c.getByRole('textbox', { name: 'Speed', exact: true }).fill('1.5');
		gateway.clear();
		await ask(s.page, 'Text', 'Hello from the speech journey.', 'Speak');
		const result = await settledResult(s.page, 1);

		const sent = sentOnce(gateway, '/v1/audio/speech', 'Bearer sk-tts');
		expect(sent.body).toEqual({
			model: 'tts-1',
			input: 'Hello from the speech journey.',
			voice: 'nova',
			response_format: 'wav',
			speed: 1.5
		});
		const audio = result.locator('[data-part="audio"] audio[controls]');
		expect(await audio.getAttribute('src')).toMatch(/^blob:/);
		await expect.poll(() => duration(audio)).toBeGreaterThan(0.3);
		const download = result.getByRole('link', { name: 'Download', exact: true });
		expect(await download.getAttribute('download')).toBe('speech.wav');
		expect(
			Number(await result.locator('[data-part="metrics"]').getAttribute('data-total-ms'))
		).toBeGreaterThanOrEqual(0);

		await c.getByRole('button', { name: 'Raw request', exact: true }).click();
		const raw = c.locator('[data-part="raw-request"]');
		expect(await raw.innerText()).toContain('"voice": "nova"');
		// The audio body is summarised, never dumped as bytes.
		expect(await raw.locator('[data-part="raw-response"]').innerText()).toMatch(
			/audio\/wav, [\d.]+ KB/
		);

		await reloadWhenSaved(s.page);
		const kept = lastResult(s.page, 1).locator('[data-part="audio"] audio[controls]');
		await kept.waitFor();
		await expect.poll(() => duration(kept)).toBeGreaterThan(0.3);
		expectClean(s);
	});

	it('sends the default voice when none is typed, and the voice suggestions are offered', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Speech', gateway.url, 'tts-1');
		await openParams(c);
		const options = c.locator('[data-param="voice"] datalist option');
		await expect
			.poll(() => options.evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value)))
			.toEqual(expect.arrayContaining(['alloy', 'nova', 'shimmer']));
		gateway.clear();
		await ask(s.page, 'Text', 'Default voice.', 'Speak');
		await settledResult(s.page, 1);
		expect(gateway.mediaRequests()[0]?.body).toMatchObject({ voice: 'alloy' });
	});

	it('plays while it downloads where the format streams, and Stop ends the download', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Speech', gateway.url, 'slow');
		gateway.clear();
		await ask(s.page, 'Text', 'A slow voice that trickles in.', 'Speak');
		const result = lastResult(s.page, 1);
		await expect.poll(() => result.getAttribute('aria-busy')).toBe('true');
		const streams = await s.page.evaluate(() => MediaSource.isTypeSupported('audio/mpeg'));
		if (streams) await result.locator('[data-part="audio"] audio[data-streaming]').waitFor();
		await s.page.getByRole('button', { name: 'Stop', exact: true }).click();
		await expect.poll(() => result.getAttribute('aria-busy')).toBe('false');
		await expect.poll(() => gateway.mediaRequests()[0]?.endedAt).toBeDefined();
		expect(await result.innerText()).toContain('Stopped');
	});

	it('keeps the player that started while downloading once the audio is complete', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Speech', gateway.url, 'slow');
		const streams = await s.page.evaluate(() => MediaSource.isTypeSupported('audio/mpeg'));
		await ask(s.page, 'Text', 'Trickling in, then whole.', 'Speak');
		const result = await settledResult(s.page, 1);
		const player = result.locator(
			streams ? '[data-part="audio"] audio[data-streaming]' : '[data-part="audio"] audio'
		);
		await expect.poll(() => player.count()).toBe(1);
		await expect.poll(() => duration(player)).toBeGreaterThan(0.5);
		expect(
			await result.getByRole('link', { name: 'Download', exact: true }).getAttribute('download')
		).toBe('speech.mp3');
	});

	it('compares two voices with one text', async () => {
		const s = await journey.open();
		await twoColumns(s.page, gateway, 'Speech', ['tts-1', 'gpt-4o-mini-tts']);
		await ask(s.page, 'Text', 'Side by side.', 'Speak');
		for (const n of [1, 2]) {
			const result = await settledResult(s.page, n);
			await result.locator('[data-part="audio"] audio[controls]').first().waitFor();
		}
		expect(sentModels(gateway)).toEqual(['gpt-4o-mini-tts', 'tts-1']);
		expect(await column(s.page, 2).locator('[data-result-mode="speech"]').count()).toBe(1);
		expectClean(s);
	});

	it('sweeps voices: one column per voice, each speaking the same text', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Speech', gateway.url, 'tts-1');
		await c.getByRole('button', { name: 'Column tools', exact: true }).click();
		await c.getByRole('combobox', { name: 'Sweep parameter', exact: true }).selectOption('voice');
		await c.getByRole('textbox', { name: 'Sweep values', exact: true }).fill('alloy, nova');
		await c.getByRole('button', { name: 'Make columns', exact: true }).click();
		gateway.clear();
		await ask(s.page, 'Text', 'Which voice is this?', 'Speak');
		for (const n of [1, 2]) await settledResult(s.page, n);
		expect(
			gateway
				.mediaRequests()
				.map((r) => (r.body as { voice: string }).voice)
				.sort()
		).toEqual(['alloy', 'nova']);
		expect(await column(s.page, 2).locator('[data-part="column-label"]').innerText()).toBe(
			'voice nova'
		);
	});

	it('exports cURL that replays the same request', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Speech', gateway.url, 'tts-1', 'sk-curl-tts');
		await openParams(c);
		await c.getByRole('textbox', { name: 'Instructions', exact: true }).fill('Speak "warmly".');
		gateway.clear();
		await ask(s.page, 'Text', "It's a test — ✓", 'Speak');
		await settledResult(s.page, 1);
		const sent = gateway.mediaRequests()[0];
		const replayed = await replayCurl(c, gateway, 'sk-curl-tts');
		expect(replayed?.body).toEqual(sent?.body);
		expect(replayed?.headers.authorization).toBe(sent?.headers.authorization);
	});

	it('shows an HTML error page as text, with its status', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Speech', gateway.url, 'error-502-html');
		await ask(s.page, 'Text', 'fail', 'Speak');
		const result = await settledResult(s.page, 1);
		const error = result.locator('[data-part="error"][role="alert"]');
		expect(await error.innerText()).toContain('502');
		expect(await result.locator('audio').count()).toBe(0);
		expectClean(s);
	});
});
