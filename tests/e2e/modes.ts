/** Steps shared by the modes journeys (images, speech, transcription), by accessible names. */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { column, connect, saved } from './journey.ts';
import type { Gateway, RecordedRequest } from '../gateway/server.ts';

const run = promisify(execFile);

export type ModeName = 'Chat' | 'Images' | 'Speech' | 'Transcription';

/** Switch column n to a mode, then point it at the gateway with that mode's model. */
export async function connectMode(
	page: Page,
	n: number,
	mode: ModeName,
	baseUrl: string,
	model: string,
	key = ''
): Promise<Locator> {
	await column(page, n)
		.getByRole('combobox', { name: 'Mode', exact: true })
		.selectOption({ label: mode });
	await connect(page, n, baseUrl, model, key);
	return column(page, n);
}

/** The newest result of column n (an element with `data-result-mode`). */
export function lastResult(page: Page, n: number): Locator {
	return column(page, n).locator('[data-result-mode]').last();
}

/** Wait until column n's newest result has settled and return it. */
export async function settledResult(page: Page, n: number, timeout = 20_000): Promise<Locator> {
	const result = lastResult(page, n);
	await result.waitFor({ timeout });
	await expect.poll(() => result.getAttribute('aria-busy'), { timeout }).toBe('false');
	return result;
}

/** Type into the composer's box (named for the mode: `Prompt`, `Text`) and press the button. */
export async function ask(page: Page, box: string, text: string, button: string): Promise<void> {
	await page.getByRole('textbox', { name: box, exact: true }).fill(text);
	await page.getByRole('button', { name: button, exact: true }).click();
}

/** Open the column's Parameters panel. */
export async function openParams(c: Locator): Promise<void> {
	await c.getByRole('button', { name: 'Parameters', exact: true }).click();
}

/** A WAV-typed file of `size` bytes, as a user would pick one. */
export function audioFile(name: string, size: number) {
	return { name, mimeType: 'audio/wav', buffer: Buffer.alloc(size, 7) };
}

/** An image's pixels decoded by the page: its natural width (0 when it could not be shown). */
export function naturalWidth(img: Locator): Promise<number> {
	return img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
}

/**
 * The column's cURL export, run with `curl` in a fresh directory (holding `files`, e.g. the
 * audio a transcription uploads) and the key in OPENAI_API_KEY: resolves to the request the
 * gateway got from it. The export itself must not contain the key.
 */
export async function replayCurl(
	c: Locator,
	gateway: Gateway,
	key: string,
	files: Record<string, Buffer> = {}
): Promise<RecordedRequest | undefined> {
	await c.getByRole('button', { name: 'Code', exact: true }).click();
	const curl = await c.locator('[data-part="code-export"] pre').innerText();
	expect(curl).not.toContain(key);
	const dir = await mkdtemp(join(tmpdir(), 'switchboard-curl-'));
	for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
	const before = gateway.mediaRequests().length;
	await run('bash', ['-c', `${curl} > /dev/null`], {
		cwd: dir,
		env: { ...process.env, OPENAI_API_KEY: key }
	});
	const after = gateway.mediaRequests();
	expect(after).toHaveLength(before + 1);
	return after.at(-1);
}

/** The one media request the gateway got since it was cleared: at `path`, with this key. */
export function sentOnce(gateway: Gateway, path: string, authorization: string): RecordedRequest {
	const sent = gateway.mediaRequests();
	expect(sent).toHaveLength(1);
	const [request] = sent;
	if (!request) throw new Error('no media request');
	expect(request.path).toBe(path);
	expect(request.headers.authorization).toBe(authorization);
	return request;
}

/** Reload once everything is stored, and wait for the app. */
export async function reloadWhenSaved(page: Page): Promise<void> {
	await saved(page);
	await page.reload();
	await page.locator('.app[data-ready="true"]').waitFor();
}

/** Two columns in `mode` at the gateway, one model each, to compare; the gateway cleared. */
export async function twoColumns(
	page: Page,
	gateway: Gateway,
	mode: ModeName,
	models: [string, string]
): Promise<void> {
	await connectMode(page, 1, mode, gateway.url, models[0]);
	await page.getByRole('button', { name: 'Add column', exact: true }).click();
	await connectMode(page, 2, mode, gateway.url, models[1]);
	gateway.clear();
}

/** The models the media requests named (in the JSON body or the form), sorted. */
export function sentModels(gateway: Gateway): string[] {
	return gateway
		.mediaRequests()
		.map((r) => {
			const part = r.form?.find((p) => p.name === 'model');
			return part && 'value' in part ? part.value : String((r.body as { model?: unknown }).model);
		})
		.sort();
}
