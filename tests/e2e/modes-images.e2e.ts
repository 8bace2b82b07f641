/** Issue 14's images journeys: the request on the wire, images kept, links never fetched, compare, export, failures. */
import { beforeAll, describe, expect, it } from 'vitest';
import { column, expectClean, modelField, openEndpoint, useJourney } from './journey.ts';
import {
	ask,
	audioFile,
	connectMode,
	lastResult,
	naturalWidth,
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

describe('images', () => {
	it('sends the prompt and the parameters set, shows each image from a stored blob, and keeps them', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Images', gateway.url, 'gpt-image-1', 'sk-img');
		await openParams(c);
		await c.getByLabel('Size', { exact: true }).fill('256x256');
		await c.getByRole('textbox', { name: 'N', exact: true }).fill('2');
		gateway.clear();
		await ask(s.page, 'Prompt', 'a red fox in snow', 'Generate');
		const result = await settledResult(s.page, 1);

		const sent = sentOnce(gateway, '/v1/images/generations', 'Bearer sk-img');
		expect(sent.body).toEqual({
			model: 'gpt-image-1',
			prompt: 'a red fox in snow',
			size: '256x256',
			n: 2,
			response_format: 'b64_json'
		});
		const images = result.locator('[data-part="images"] img');
		await expect.poll(() => images.count()).toBe(2);
		expect(await images.first().getAttribute('src')).toMatch(/^blob:/);
		expect(await naturalWidth(images.first())).toBe(4);
		expect(await result.locator('[data-part="revised-prompt"]').first().innerText()).toContain(
			'a red fox in snow, revised'
		);
		expect(
			Number(await result.locator('[data-part="metrics"]').getAttribute('data-total-ms'))
		).toBeGreaterThanOrEqual(0);

		await reloadWhenSaved(s.page);
		const kept = lastResult(s.page, 1).locator('[data-part="images"] img');
		await kept.first().waitFor();
		await expect.poll(() => kept.count()).toBe(2);
		await expect.poll(() => naturalWidth(kept.last())).toBe(4);
		expect(
			await column(s.page, 1).getByRole('combobox', { name: 'Mode', exact: true }).inputValue()
		).toBe('images');
		expectClean(s);
	});

	it('shows a URL answer as a link that opens on a click, never fetched by the page', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Images', gateway.url, 'dall-e-3');
		await openParams(c);
		await c.getByRole('combobox', { name: 'Response format', exact: true }).selectOption('url');
		gateway.clear();
		await ask(s.page, 'Prompt', 'a lighthouse', 'Generate');
		const result = await settledResult(s.page, 1);
		expect(gateway.mediaRequests()[0]?.body).toMatchObject({ response_format: 'url' });
		expect(await result.locator('img').count()).toBe(0);
		const link = result.locator('[data-part="image-link"]');
		expect(await link.getAttribute('href')).toMatch(
			new RegExp(`^${gateway.url}/files/image-0.png`)
		);
		expect(await link.getAttribute('rel')).toContain('noopener');
		const files = () => gateway.requests.filter((r) => r.path.startsWith('/files/')).length;
		expect(files()).toBe(0);
		const [tab] = await Promise.all([s.context.waitForEvent('page'), link.click()]);
		await tab.waitForLoadState();
		expect(files()).toBe(1);
		expectClean(s);
	});

	it('compares two image models with one prompt, and a chat column answers the same prompt as chat', async () => {
		const s = await journey.open();
		await twoColumns(s.page, gateway, 'Images', ['gpt-image-1', 'dall-e-3']);
		await ask(s.page, 'Prompt', 'two foxes', 'Generate');
		for (const n of [1, 2]) {
			const result = await settledResult(s.page, n);
			await expect.poll(() => result.locator('[data-part="images"] img').count()).toBe(1);
		}
		expect(sentModels(gateway)).toEqual(['dall-e-3', 'gpt-image-1']);

		await s.page.getByRole('button', { name: 'Add column', exact: true }).click();
		await connectMode(s.page, 3, 'Chat', gateway.url, 'echo');
		gateway.clear();
		await ask(s.page, 'Message', 'a fox again', 'Send');
		const chat = column(s.page, 3).locator('[data-message-role="assistant"]').last();
		await expect.poll(() => chat.getAttribute('aria-busy')).toBe('false');
		expect(await chat.locator('[data-part="content"]').innerText()).toContain('a fox again');
		// The chat column's thread holds no media turn; the image columns answered in their mode.
		expect(gateway.chatRequests()).toHaveLength(1);
		expect(gateway.mediaRequests()).toHaveLength(2);
		expectClean(s);
	});

	it('exports cURL that replays the same request', async () => {
		const s = await journey.open();
		const c = await connectMode(s.page, 1, 'Images', gateway.url, 'gpt-image-1', 'sk-curl-img');
		await openParams(c);
		await c.getByRole('combobox', { name: 'Quality', exact: true }).selectOption('high');
		gateway.clear();
		await ask(s.page, 'Prompt', 'It\'s a "quoted" prompt — ✓', 'Generate');
		await settledResult(s.page, 1);
		const sent = gateway.mediaRequests()[0];
		const replayed = await replayCurl(c, gateway, 'sk-curl-img');
		expect(replayed?.path).toBe(sent?.path);
		expect(replayed?.body).toEqual(sent?.body);
		expect(replayed?.headers.authorization).toBe(sent?.headers.authorization);
	});
});

describe('images and chat in one column', () => {
	it('never sends an image turn as part of the chat', async () => {
		const s = await journey.open();
		const mode = column(s.page, 1).getByRole('combobox', { name: 'Mode', exact: true });
		await connectMode(s.page, 1, 'Images', gateway.url, 'gpt-image-1');
		await ask(s.page, 'Prompt', 'a picture first', 'Generate');
		await settledResult(s.page, 1);
		await mode.selectOption({ label: 'Chat' });
		await openEndpoint(column(s.page, 1));
		await modelField(column(s.page, 1)).fill('echo');
		gateway.clear();
		await ask(s.page, 'Message', 'then a question', 'Send');
		const answer = column(s.page, 1).locator('[data-message-role="assistant"]').last();
		await expect.poll(() => answer.getAttribute('aria-busy')).toBe('false');
		const body = gateway.chatRequests()[0]?.body as { messages: Array<{ content: unknown }> };
		expect(body.messages.map((m) => m.content)).toEqual(['then a question']);
		// The image stays in the thread above the chat.
		expect(await column(s.page, 1).locator('[data-part="images"] img').count()).toBe(1);
	});
});

describe('the offline demo', () => {
	it('answers every mode from one prompt, and keeps each result after a reload', async () => {
		const s = await journey.open();
		const modes = ['Images', 'Speech', 'Transcription'] as const;
		for (const [i, mode] of modes.entries()) {
			if (i > 0) await s.page.getByRole('button', { name: 'Add column', exact: true }).click();
			await column(s.page, i + 1)
				.getByRole('combobox', { name: 'Mode', exact: true })
				.selectOption({ label: mode });
		}
		expect(await s.page.locator('#composer-hint').innerText()).toContain(
			'each answers in its own mode'
		);
		await s.page
			.getByLabel('Audio file', { exact: true })
			.setInputFiles(audioFile('hello.wav', 900));
		await ask(s.page, 'Message', 'A lighthouse at dusk', 'Send');
		const parts = [
			'[data-part="images"] img',
			'[data-part="audio"] audio',
			'[data-part="transcript"]'
		];
		for (const [i, part] of parts.entries()) {
			const result = await settledResult(s.page, i + 1);
			await result.locator(part).first().waitFor();
		}
		expect(await lastResult(s.page, 3).innerText()).toContain('Demo transcript of hello.wav');

		await reloadWhenSaved(s.page);
		for (const [i, part] of parts.entries())
			await lastResult(s.page, i + 1)
				.locator(part)
				.first()
				.waitFor();
		expectClean(s);
	});

	it('keeps each mode’s model: Images and back to Chat finds the chat model', async () => {
		const s = await journey.open();
		const c = column(s.page, 1);
		const mode = c.getByRole('combobox', { name: 'Mode', exact: true });
		await connectMode(s.page, 1, 'Chat', gateway.url, 'my-chat-model');
		await mode.selectOption({ label: 'Images' });
		await openEndpoint(c);
		await modelField(c).fill('my-image-model');
		expect(await c.locator('[data-part="resolved-url"]').innerText()).toBe(
			`→ ${gateway.url}/v1/images/generations`
		);
		await mode.selectOption({ label: 'Chat' });
		await openEndpoint(c);
		expect(await modelField(c).inputValue()).toBe('my-chat-model');
		await mode.selectOption({ label: 'Images' });
		await openEndpoint(c);
		expect(await modelField(c).inputValue()).toBe('my-image-model');
	});
});

describe('images that fail', () => {
	it('shows an HTTP error with the server words, and gives the prompt back', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Images', gateway.url, 'error-401-json');
		await ask(s.page, 'Prompt', 'nope', 'Generate');
		const result = await settledResult(s.page, 1);
		const error = result.locator('[data-part="error"][role="alert"]');
		expect(await error.innerText()).toContain('401');
		expect(await error.innerText()).toContain('Invalid API key');
		await expect
			.poll(() => s.page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue())
			.toBe('nope');
	});

	it('refuses bytes that are not a raster image, and shows nothing of them', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Images', gateway.url, 'not-image');
		await ask(s.page, 'Prompt', 'an svg', 'Generate');
		const result = await settledResult(s.page, 1);
		expect(await result.locator('img').count()).toBe(0);
		expect(await result.locator('[data-part="error"][role="alert"]').innerText()).toMatch(
			/not a PNG, JPEG, WebP or GIF/
		);
		expectClean(s);
	});

	it('sends nothing while a parameter is bad, says why next to it, and keeps the prompt', async () => {
		const s = await journey.open();
		await connectMode(s.page, 1, 'Images', gateway.url, 'gpt-image-1');
		await openParams(column(s.page, 1));
		await column(s.page, 1).getByLabel('Size', { exact: true }).fill('huge');
		gateway.clear();
		await ask(s.page, 'Prompt', 'a cat', 'Generate');
		await expect
			.poll(() => column(s.page, 1).locator('[data-param="size"]').innerText())
			.toMatch(/not a size/);
		expect(gateway.mediaRequests()).toHaveLength(0);
		expect(await s.page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue()).toBe(
			'a cat'
		);
	});
});
