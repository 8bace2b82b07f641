/** Issue 13's journeys: prompts × models × repetitions, run, checked, exported, kept. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { column, expectClean, modelField, openSettings, useJourney } from './journey.ts';
import type { Gateway, RecordedRequest } from '../gateway/server.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

/** Six capitals; Oslo's expected answer is wrong on purpose, so that case fails its check. */
const CASES = [
	'city,expected',
	'Paris,Paris',
	'Rome,Rome',
	'Oslo,Bergen',
	'"Bern, the capital",Bern',
	'Lima,Lima',
	'Kyiv,Kyiv'
].join('\r\n');

async function openExperiments(page: Page): Promise<Locator> {
	await page.getByRole('button', { name: 'Experiments', exact: true }).click();
	const region = page.getByRole('region', { name: 'Experiment', exact: true });
	await region.waitFor();
	return region;
}

function target(region: Locator, n: number): Locator {
	return region.getByRole('group', { name: `Target ${n}`, exact: true });
}

async function importCases(region: Locator, text = CASES, name = 'capitals.csv') {
	await region
		.getByLabel('Import cases', { exact: true })
		.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function setNumber(region: Locator, name: string, value: number) {
	const box = region.getByRole('spinbutton', { name, exact: true });
	await box.fill(String(value));
	await box.press('Tab');
}

/** The run is over (Run experiment is back) and everything is on disk. */
async function finished(region: Locator, timeout = 60_000) {
	await region.getByRole('button', { name: 'Run experiment', exact: true }).waitFor({ timeout });
	await region.page().locator('[data-saved="true"][data-running="false"]').waitFor();
}

function rows(region: Locator): Locator {
	return region.getByRole('table', { name: 'Results', exact: true }).locator('tbody tr');
}

async function statuses(region: Locator): Promise<string[]> {
	return rows(region).evaluateAll((trs) =>
		trs.map((tr) => {
			const d = (tr as HTMLElement).dataset;
			return `${d.case}/${d.target}:${d.status}`;
		})
	);
}

/** The most chat requests the gateway had open at one moment. */
function mostInFlight(requests: RecordedRequest[]): number {
	const edges = requests.flatMap((r) => [
		{ t: r.at, d: 1 },
		{ t: r.endedAt ?? Infinity, d: -1 }
	]);
	// An end and a start at the same millisecond: the end first (one replaced the other).
	edges.sort((a, b) => a.t - b.t || a.d - b.d);
	let now = 0;
	let most = 0;
	for (const e of edges) most = Math.max(most, (now += e.d));
	return most;
}

const modelOf = (r: RecordedRequest) => (r.body as { model?: string } | undefined)?.model;

describe('experiments', () => {
	it('runs 6 cases × 3 targets × 2 repetitions at concurrency 2: checked, retried, exported, kept', async () => {
		const s = await journey.open();
		const region = await openExperiments(s.page);
		await importCases(region);
		await expect.poll(() => region.getByText('6 cases').count()).toBe(1);

		// A template naming a variable the cases lack is refused before anything is sent.
		const template = region.getByRole('textbox', { name: 'Prompt template', exact: true });
		await template.fill('Capital of {{country}}?');
		await region.getByRole('combobox', { name: 'Check', exact: true }).selectOption('contains');
		const t1 = target(region, 1);
		await t1.getByRole('textbox', { name: 'Base URL', exact: true }).fill(gateway.url);
		await modelField(t1).fill('echo');
		gateway.clear();
		await region.getByRole('button', { name: 'Run experiment', exact: true }).click();
		await expect
			.poll(() => region.locator('[data-part="field-error"]').first().innerText())
			.toBe('Case 1 has no variable “country” used by the template');
		expect(gateway.chatRequests()).toEqual([]);

		await template.fill('Name the city: {{city}}');
		await region.getByRole('button', { name: 'Add target', exact: true }).click();
		await modelField(target(region, 2)).fill('rate-limit-now');
		await region.getByRole('button', { name: 'Add target', exact: true }).click();
		await modelField(target(region, 3)).fill('slow');
		await setNumber(region, 'Repetitions', 2);
		await setNumber(region, 'Concurrency', 2);
		await region.getByRole('button', { name: 'Run experiment', exact: true }).click();
		await finished(region);

		const progress = region.getByRole('progressbar', { name: 'Experiment progress' });
		expect(await progress.getAttribute('aria-valuenow')).toBe('36');
		expect(await progress.getAttribute('aria-valuemax')).toBe('36');
		const got = await statuses(region);
		expect(got).toHaveLength(36);
		const expected = [0, 1, 2, 3, 4, 5].flatMap((c) =>
			[1, 2, 3].flatMap((t) =>
				[0, 1].map(() => `${c}/${t}:${t === 2 ? 'error' : c === 2 ? 'fail' : 'pass'}`)
			)
		);
		expect(got).toEqual(expected);

		// What went over the wire: the filled template, at most two requests at once, and the
		// rate-limited target asked again three times per cell before it was marked error.
		const chat = gateway.chatRequests();
		expect(mostInFlight(chat)).toBeLessThanOrEqual(2);
		expect(chat.filter((r) => modelOf(r) === 'rate-limit-now')).toHaveLength(12 * 4);
		expect(chat.filter((r) => modelOf(r) === 'echo')).toHaveLength(12);
		const bern = chat.find((r) => JSON.stringify(r.body).includes('Bern'));
		expect((bern?.body as { messages: unknown[] }).messages).toEqual([
			{ role: 'user', content: 'Name the city: Bern, the capital' }
		]);

		// Measured per row; the failing target shows its retries and the server's status.
		const echoRow = rows(region).and(s.page.locator('[data-case="0"][data-target="1"]')).first();
		expect(Number(await echoRow.getAttribute('data-total-ms'))).toBeGreaterThan(0);
		expect(Number(await echoRow.getAttribute('data-ttft-ms'))).toBeGreaterThan(0);
		expect(Number(await echoRow.getAttribute('data-completion-tokens'))).toBeGreaterThan(0);
		const limited = rows(region).and(s.page.locator('[data-target="2"]')).first();
		expect(await limited.innerText()).toContain('429');
		expect(await limited.locator('td').last().innerText()).toBe('3');
		const summary = region.getByRole('table', { name: 'Summary by target', exact: true });
		expect(await summary.locator('tbody tr').first().innerText()).toContain('83%');

		// Export: one CSV record per result, plus the header.
		const [download] = await Promise.all([
			s.page.waitForEvent('download'),
			region.getByRole('button', { name: 'Export results', exact: true }).click()
		]);
		const csv = readFileSync(await download.path(), 'utf8');
		const records = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
		expect(records).toHaveLength(37);
		expect(records[0]?.slice(0, 3)).toEqual(['var:city', 'case', 'target']);
		expect(records.filter((r) => r[5] === 'error')).toHaveLength(12);

		// Kept: a reload reopens the experiment with every result.
		await s.page.reload();
		const again = s.page.getByRole('region', { name: 'Experiment', exact: true });
		await again.waitFor();
		await expect.poll(() => statuses(again)).toEqual(expected);
		expect(await s.page.getByRole('navigation', { name: 'History' }).innerText()).toContain(
			'capitals'
		);
		expectClean(s);
	});

	it('Stop sends nothing more; after a reload Run does only the rest', async () => {
		const s = await journey.open();
		const region = await openExperiments(s.page);
		await importCases(region);
		await region.getByRole('textbox', { name: 'Prompt template', exact: true }).fill('{{city}}');
		const t1 = target(region, 1);
		await t1.getByRole('textbox', { name: 'Base URL', exact: true }).fill(gateway.url);
		await modelField(t1).fill('slow');
		await setNumber(region, 'Concurrency', 1);
		gateway.clear();
		await region.getByRole('button', { name: 'Run experiment', exact: true }).click();
		await rows(region).and(s.page.locator('[data-status="done"]')).first().waitFor();
		await region.getByRole('button', { name: 'Stop experiment', exact: true }).click();
		await finished(region);
		const done = await rows(region).and(s.page.locator('[data-status="done"]')).count();
		expect(done).toBeGreaterThan(0);
		expect(done).toBeLessThan(6);
		const sent = gateway.chatRequests().length;
		// Stopped while one was in flight: that one was sent, and nothing after it.
		expect(sent).toBe(done + 1);

		await s.page.reload();
		const again = s.page.getByRole('region', { name: 'Experiment', exact: true });
		await again.waitFor();
		await again.locator('[data-part="resumable"]').waitFor();
		expect(gateway.chatRequests()).toHaveLength(sent);
		await again.getByRole('button', { name: 'Run experiment', exact: true }).click();
		await finished(again);
		expect(await rows(again).and(s.page.locator('[data-status="done"]')).count()).toBe(6);
		expect(gateway.chatRequests()).toHaveLength(sent + 6 - done);

		// A cell of the matrix opens as a conversation, with the request the experiment sent.
		const matrix = again.getByRole('table', { name: 'Results by case and target' });
		await matrix
			.getByRole('button', { name: 'Open case 4, target 1 as a conversation', exact: true })
			.click();
		const c = column(s.page, 1);
		await c.waitFor();
		await expect
			.poll(() => c.locator('[data-message-role="user"]').innerText())
			.toContain('Bern, the capital');
		expect(await c.locator('[data-message-role="assistant"]').innerText()).toContain(
			'You said: Bern, the capital'
		);
		await c.getByRole('button', { name: 'Raw request', exact: true }).click();
		const raw = await c.locator('[data-part="raw-request"]').innerText();
		expect(raw).toContain(`POST ${gateway.url}/v1/chat/completions`);
		expect(raw).toContain('"model": "slow"');
		expect(raw).toContain('"content": "Bern, the capital"');
		expect(await s.page.getByRole('navigation', { name: 'History' }).innerText()).toContain(
			'case 4 · slow'
		);
	});

	it('grades answers with a judge model whose prompt the user edits', async () => {
		const s = await journey.open();
		const region = await openExperiments(s.page);
		await importCases(region, 'city\nParis\nRome\n');
		await region.getByRole('textbox', { name: 'Prompt template', exact: true }).fill('{{city}}');
		const t1 = target(region, 1);
		await t1.getByRole('textbox', { name: 'Base URL', exact: true }).fill(gateway.url);
		await modelField(t1).fill('echo');
		await region.getByRole('combobox', { name: 'Check', exact: true }).selectOption('judge');
		const judge = region.getByRole('group', { name: 'Judge', exact: true });
		await modelField(judge).fill('grader');
		await judge
			.getByRole('textbox', { name: 'Judge prompt', exact: true })
			.fill('City: {{city}}\nAnswer: {{answer}}\nPASS or FAIL?');
		gateway.clear();
		await region.getByRole('button', { name: 'Run experiment', exact: true }).click();
		await finished(region);
		expect(await statuses(region)).toEqual(['0/1:pass', '1/1:fail']);
		const asked = gateway.chatRequests().filter((r) => modelOf(r) === 'grader');
		// Two cells at once: the judge's two requests may come in either order.
		const sent = asked.map((r) => (r.body as { messages: unknown[] }).messages);
		expect(sent.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
			[{ role: 'user', content: 'City: Paris\nAnswer: You said: Paris\nPASS or FAIL?' }],
			[{ role: 'user', content: 'City: Rome\nAnswer: You said: Rome\nPASS or FAIL?' }]
		]);
		expect(await rows(region).nth(1).innerText()).toContain('The judge said: FAIL');
	});

	it('adds models from a 300-model list as targets through the picker', async () => {
		const s = await journey.open();
		const region = await openExperiments(s.page);
		const t1 = target(region, 1);
		await t1
			.getByRole('textbox', { name: 'Base URL', exact: true })
			.fill(`${gateway.url}/catalog-300/v1`);
		await region.getByRole('button', { name: 'Add models from list', exact: true }).last().click();
		const dialog = s.page.getByRole('dialog', { name: 'Models to add as targets' });
		await dialog.waitFor();
		await dialog.getByRole('searchbox', { name: 'Filter models' }).fill('qwen 72b');
		const boxes = dialog.getByRole('checkbox');
		await expect.poll(() => boxes.count()).toBeGreaterThan(1);
		const picked = [
			await boxes.nth(0).locator('xpath=..').innerText(),
			await boxes.nth(1).locator('xpath=..').innerText()
		].map((t) => t.trim());
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await dialog.getByRole('button', { name: 'Add 2 models', exact: true }).click();
		await expect.poll(() => region.getByRole('group', { name: /^Target \d+$/ }).count()).toBe(3);
		for (const [i, model] of picked.entries())
			expect(await target(region, i + 2).innerText()).toContain(model);
		// Each new target asks the same endpoint.
		await target(region, 2).getByRole('button', { expanded: false }).first().click();
		expect(
			await target(region, 2).getByRole('textbox', { name: 'Base URL', exact: true }).inputValue()
		).toBe(`${gateway.url}/catalog-300/v1`);
	});

	it('charts time per answer, pass rate and cost per target, the charting library fetched only then', async () => {
		const s = await journey.open();
		const scripts = () =>
			s.page.evaluate(() =>
				performance
					.getEntriesByType('resource')
					.map((e) => e.name)
					.filter((u) => u.endsWith('.js'))
			);
		// uPlot's own class name: the library is in a script exactly when this is.
		const hasUplot = async (urls: string[]) => {
			const texts = await Promise.all(urls.map(async (u) => (await s.page.request.get(u)).text()));
			return texts.some((t) => t.includes('u-over'));
		};
		expect(await hasUplot(await scripts())).toBe(false);

		const region = await openExperiments(s.page);
		await importCases(region, 'city,expected\r\nParis,Paris\r\nOslo,Bergen');
		await region
			.getByRole('textbox', { name: 'Prompt template', exact: true })
			.fill('Name the city: {{city}}');
		await region.getByRole('combobox', { name: 'Check', exact: true }).selectOption('contains');
		const t1 = target(region, 1);
		await t1.getByRole('textbox', { name: 'Base URL', exact: true }).fill(gateway.url);
		await modelField(t1).fill('echo');
		await t1.getByRole('button', { name: 'Parameters', exact: true }).click();
		for (const name of ['Input price per 1M tokens', 'Output price per 1M tokens']) {
			const price = t1.getByRole('spinbutton', { name, exact: true });
			await price.fill('1000');
			await price.press('Tab');
		}
		// The second target starts as a copy of the first, prices included.
		await region.getByRole('button', { name: 'Add target', exact: true }).click();
		await modelField(target(region, 2)).fill('slow');
		// The view is open, nothing has run: no chart, and no charting library fetched.
		expect(await region.getByRole('figure').count()).toBe(0);
		expect(await hasUplot(await scripts())).toBe(false);

		await region.getByRole('button', { name: 'Run experiment', exact: true }).click();
		await finished(region);
		const figures = region.getByRole('figure');
		await expect.poll(() => figures.count()).toBe(3);
		const captions = await figures.locator('figcaption').allInnerTexts();
		expect(captions.map((c) => c.split('\n')[0])).toEqual([
			'Time per answer (each dot is one result)',
			'Pass rate',
			'Cost'
		]);
		for (const figure of await figures.all()) {
			const canvas = figure.locator('canvas');
			await canvas.waitFor();
			const box = await canvas.boundingBox();
			expect(box?.width).toBeGreaterThan(100);
			expect(box?.height).toBeGreaterThan(100);
		}
		const labels = await figures
			.getByRole('img')
			.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('aria-label') ?? ''));
		expect(labels[0]).toMatch(
			/^1 · echo: total median \d+ ms, TTFT median \d+ ms; 2 · slow: total median \d+ ms, TTFT median \d+ ms$/
		);
		// Paris passes, Oslo fails (Bergen expected), for both targets.
		expect(labels[1]).toBe('1 · echo: 50%; 2 · slow: 50%');
		const cost = /^1 · echo: (\d+\.\d{4}); 2 · slow: (\d+\.\d{4})$/.exec(labels[2] ?? '');
		// slow answers at length, echo repeats the prompt: the same prices cost slow more.
		expect(Number(cost?.[2])).toBeGreaterThan(Number(cost?.[1]));
		expect(Number(cost?.[1])).toBeGreaterThan(0);

		// The canvas follows the theme picked in Settings and the width of a phone.
		const canvas = figures.first().locator('canvas');
		const pixels = () => canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
		const light = await pixels();
		const dialog = await openSettings(s.page);
		await dialog.getByLabel('Theme', { exact: true }).selectOption('dark');
		await expect.poll(pixels).not.toBe(light);
		await s.page.keyboard.press('Escape');
		await s.page.setViewportSize({ width: 390, height: 844 });
		await expect.poll(async () => (await canvas.boundingBox())?.width).toBeLessThan(370);

		const later = await scripts();
		expect(later.filter((u) => /ResultCharts-[\w-]+\.js$/.test(u))).toHaveLength(1);
		expect(await hasUplot(later)).toBe(true);
		expectClean(s);
	});
});
