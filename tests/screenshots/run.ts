/**
 * `npm run screenshots`: builds nothing, serves `dist/` (or `DIST_DIR`) and drives Chromium through the views a
 * newcomer meets (one column, four columns, phone width; light and dark) and writes them to
 * `docs/`. Run `npm run build` first. `SHOTS_DIR` writes elsewhere (e.g. for a quick look).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { startStatic } from '../e2e/static-server.ts';
import { startGateway } from '../gateway/server.ts';
import { chromiumPath, CHROMIUM_ARGS } from '../e2e/chromium.ts';

const out = process.env.SHOTS_DIR ?? 'docs';
mkdirSync(out, { recursive: true });
const site = await startStatic({ '/playground/': process.env.DIST_DIR || 'dist' });
const gateway = await startGateway();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

const PROMPT = 'Write a short Python function that checks whether a string is a palindrome.';

async function open(scheme: 'light' | 'dark', width: number, height: number): Promise<Page> {
	const context = await browser.newContext({
		colorScheme: scheme,
		viewport: { width, height },
		locale: 'en-US'
	});
	const page = await context.newPage();
	await page.goto(`${site.url}/playground/`);
	await page.locator('.app[data-ready="true"]').waitFor();
	return page;
}

async function sendAndSettle(page: Page, columns: number) {
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill(PROMPT);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	for (let n = 1; n <= columns; n++) {
		const answer = page
			.getByRole('region', { name: `Column ${n}`, exact: true })
			.locator('[data-message-role="assistant"]')
			.last();
		await answer.waitFor();
		await page.waitForFunction(
			(el) => el?.getAttribute('aria-busy') === 'false',
			await answer.elementHandle(),
			{ timeout: 30_000 }
		);
	}
	await page.waitForTimeout(300);
}

/** Four columns: the demo, and three gateway models that answer differently. */
async function fourColumns(page: Page) {
	const models = ['reasoning', 'echo', 'slow'];
	for (const model of models) {
		await page.getByRole('button', { name: 'Add column', exact: true }).click();
		const n = page.locator(
			'[aria-label^="Column "][role="region"], section[aria-label^="Column "]'
		);
		const c = page.getByRole('region', { name: `Column ${await n.count()}`, exact: true });
		const endpoint = c.getByRole('button', { name: /^Endpoint/ });
		if (await endpoint.count()) await endpoint.first().click();
		await c.getByRole('textbox', { name: 'Base URL', exact: true }).fill(`${gateway.url}/v1`);
		await c
			.getByRole('combobox', { name: 'Model', exact: true })
			.or(c.getByRole('textbox', { name: 'Model', exact: true }))
			.fill(model);
		await page.keyboard.press('Escape');
	}
}

const shots: Array<[string, 'light' | 'dark', number, number, number]> = [
	['screenshot', 'light', 1440, 900, 1],
	['screenshot-dark', 'dark', 1440, 900, 1],
	['screenshot-compare', 'light', 1440, 900, 4],
	['screenshot-compare-dark', 'dark', 1440, 900, 4],
	['screenshot-phone', 'light', 390, 844, 1],
	['screenshot-phone-dark', 'dark', 390, 844, 1]
];
/** Settings one click away: the parameter panel beside the thread, and the model picker. */
async function panels(scheme: 'light' | 'dark') {
	const page = await open(scheme, 1440, 900);
	await sendAndSettle(page, 1);
	const c = page.getByRole('region', { name: 'Column 1', exact: true });
	await c.getByRole('button', { name: 'Parameters', exact: true }).click();
	await c.getByRole('textbox', { name: 'Temperature', exact: true }).fill('0.7');
	await page.waitForTimeout(200);
	await page.screenshot({
		path: `${out}/screenshot-parameters${scheme === 'dark' ? '-dark' : ''}.png`
	});
	await c.getByRole('button', { name: 'Parameters', exact: true }).click();
	await c.getByRole('button', { name: /^Endpoint/ }).click();
	await c
		.getByRole('textbox', { name: 'Base URL', exact: true })
		.fill(`${gateway.url}/catalog-300/v1`);
	await c.getByRole('combobox', { name: 'Model', exact: true }).fill('');
	await c.getByRole('combobox', { name: 'Model', exact: true }).pressSequentially('claude son');
	await page.waitForTimeout(300);
	await page.screenshot({
		path: `${out}/screenshot-models${scheme === 'dark' ? '-dark' : ''}.png`
	});
	await page.context().close();
}

/** An experiment run: eight capitals × three models × two repetitions, checked. */
async function experiment(scheme: 'light' | 'dark', width: number, height: number) {
	const page = await open(scheme, width, height);
	await page.getByRole('button', { name: 'Experiments', exact: true }).click();
	const region = page.getByRole('region', { name: 'Experiment', exact: true });
	const cities = ['Paris', 'Rome', 'Oslo', 'Bern', 'Lima', 'Kyiv', 'Quito', 'Hanoi'];
	const csv = `city,expected\n${cities.map((c, i) => `${c},${i === 2 ? 'Bergen' : c}`).join('\n')}\n`;
	await region
		.getByLabel('Import cases', { exact: true })
		.setInputFiles({ name: 'capitals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await region
		.getByRole('textbox', { name: 'Prompt template', exact: true })
		.fill('What is the capital city named {{city}} known for? One sentence.');
	await region.getByRole('combobox', { name: 'Check', exact: true }).selectOption('contains');
	const models = ['echo', 'reasoning', 'slow'];
	for (const [i, model] of models.entries()) {
		if (i > 0) await region.getByRole('button', { name: 'Add target', exact: true }).click();
		const target = region.getByRole('group', { name: `Target ${i + 1}`, exact: true });
		await target.getByRole('textbox', { name: 'Base URL', exact: true }).fill(`${gateway.url}/v1`);
		await target.getByRole('combobox', { name: 'Model', exact: true }).fill(model);
		await target.getByRole('button', { expanded: true }).first().click();
	}
	const reps = region.getByRole('spinbutton', { name: 'Repetitions', exact: true });
	await reps.fill('2');
	await reps.press('Tab');
	const concurrency = region.getByRole('spinbutton', { name: 'Concurrency', exact: true });
	await concurrency.fill('6');
	await concurrency.press('Tab');
	await region.getByRole('button', { name: 'Run experiment', exact: true }).click();
	await region
		.getByRole('button', { name: 'Run experiment', exact: true })
		.waitFor({ timeout: 120_000 });
	await page.waitForTimeout(800);
	const suffix = `${width < 500 ? '-phone' : ''}${scheme === 'dark' ? '-dark' : ''}`;
	await page.screenshot({ path: `${out}/screenshot-experiment${suffix}.png` });
	console.log(`${out}/screenshot-experiment${suffix}.png`);
	await page.context().close();
}

/** Three columns on the demo in three modes (images, speech, transcription), one prompt each. */
async function modes(scheme: 'light' | 'dark', width: number, height: number) {
	const page = await open(scheme, width, height);
	const modeNames = ['Images', 'Speech', 'Transcription'];
	for (const [i, mode] of modeNames.entries()) {
		if (i > 0) await page.getByRole('button', { name: 'Add column', exact: true }).click();
		const c = page.getByRole('region', { name: `Column ${i + 1}`, exact: true });
		if (width < 500 && i > 0)
			await page.getByRole('tab', { name: new RegExp(`^${i + 1}\\b`) }).click();
		await c.getByRole('combobox', { name: 'Mode', exact: true }).selectOption({ label: mode });
	}
	await page
		.getByLabel('Audio file', { exact: true })
		.setInputFiles({ name: 'lighthouse.wav', mimeType: 'audio/wav', buffer: Buffer.alloc(48_000) });
	await page
		.getByRole('textbox', { name: 'Message', exact: true })
		.fill('A lighthouse on a cliff at dusk, waves below.');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await page.waitForFunction(() => !document.querySelector('[data-result-mode][aria-busy="true"]'));
	await page.waitForTimeout(500);
	const suffix = `${width < 500 ? '-phone' : ''}${scheme === 'dark' ? '-dark' : ''}`;
	await page.screenshot({ path: `${out}/screenshot-modes${suffix}.png` });
	console.log(`${out}/screenshot-modes${suffix}.png`);
	await page.context().close();
}

try {
	for (const scheme of ['light', 'dark'] as const) {
		await modes(scheme, 1440, 900);
		await modes(scheme, 390, 844);
	}
	await experiment('light', 1440, 900);
	await experiment('dark', 1440, 900);
	await experiment('light', 390, 844);
	for (const [name, scheme, width, height, columns] of shots) {
		const page = await open(scheme, width, height);
		if (columns > 1) await fourColumns(page);
		await sendAndSettle(page, columns);
		await page.screenshot({ path: `${out}/${name}.png` });
		console.log(`${out}/${name}.png`);
		await page.context().close();
	}
	await panels('light');
	await panels('dark');
} finally {
	await browser.close();
	await gateway.close();
	await site.close();
}
