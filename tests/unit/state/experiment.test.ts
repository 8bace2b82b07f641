/** ExperimentState on fakes: what goes on the wire, what is saved, what the table shows. */
import { describe, expect, it, vi } from 'vitest';
import { ExperimentState, type ExperimentStore } from '../../../src/lib/state/experiment.svelte.ts';
import type { ExperimentRow, ResultRow } from '../../../src/lib/db/experiment-rows.ts';
import { FAKE_BASE_URL } from './fakes.ts';

interface Wire {
	bodies: Array<{ model: string; messages: Array<{ role: string; content: string }> }>;
	most: number;
	release: () => void;
}

/**
 * A chat endpoint answering by model: `echo` repeats the prompt, `busy` is always 429 with
 * Retry-After, `broken` is a 400. With `hold`, answers wait until released (to see a run in
 * flight).
 */
function fakeEndpoint(hold = false): Wire {
	let inFlight = 0;
	let gate = Promise.resolve();
	const wire: Wire = { bodies: [], most: 0, release: () => {} };
	if (hold) gate = new Promise((r) => (wire.release = r));
	vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
		const body = JSON.parse(String(init.body)) as Wire['bodies'][number];
		wire.bodies.push(body);
		wire.most = Math.max(wire.most, ++inFlight);
		try {
			await new Promise<void>((resolve, reject) => {
				init.signal?.addEventListener('abort', () =>
					reject(new DOMException('aborted', 'AbortError'))
				);
				void gate.then(() => setTimeout(resolve, 1));
			});
		} finally {
			inFlight--;
		}
		if (body.model === 'busy')
			return new Response('{"error":{"message":"slow down"}}', {
				status: 429,
				headers: { 'content-type': 'application/json', 'retry-after': '1' }
			});
		if (body.model === 'broken')
			return new Response('{"error":{"message":"no such model"}}', { status: 400 });
		const prompt = body.messages.at(-1)?.content ?? '';
		// A grader: passes Paris, fails the rest, and gives no verdict on Oslo.
		const graded = prompt.includes('Paris')
			? 'PASS\nRight city.'
			: prompt.includes('Oslo')
				? 'Hard to say.'
				: '**FAIL** wrong city';
		return Response.json({
			id: 'x',
			object: 'chat.completion',
			model: body.model,
			choices: [
				{
					index: 0,
					message: {
						role: 'assistant',
						content: body.model === 'grader' ? graded : `echo: ${prompt}`
					},
					finish_reason: 'stop'
				}
			],
			usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 }
		});
	});
	return wire;
}

function fakeStore() {
	const store = {
		experiment: undefined as ExperimentRow | undefined,
		results: new Map<string, ResultRow>(),
		saveExperiment(row: ExperimentRow) {
			store.experiment = structuredClone(row);
		},
		async saveResult(row: ResultRow) {
			store.results.set(row.id, structuredClone(row));
		},
		async clearResults() {
			store.results.clear();
		},
		async deleteResults(ids: string[]) {
			for (const id of ids) store.results.delete(id);
		}
	} satisfies ExperimentStore & Record<string, unknown>;
	return store;
}

const CSV = 'city,expected\nParis,Paris\nRome,Milan\nOslo,Oslo\n';
const noWait = { sleep: async () => {} };

function experiment(models: string[], store = fakeStore()) {
	const e = new ExperimentState(store);
	expect(e.importCases(CSV, 'capitals.csv')).toBe(true);
	e.setTemplate('Capital city: {{city}}');
	for (const model of models) {
		const t = e.addTarget();
		t?.setEndpoint({ baseUrl: FAKE_BASE_URL });
		t?.setModel(model);
	}
	return { e, store };
}

describe('running', () => {
	it('asks every case × target × repetition with the filled template, checks and saves each', async () => {
		const wire = fakeEndpoint();
		const { e, store } = experiment(['m1', 'm2']);
		e.setCheck('contains');
		e.setRepetitions(2);
		e.setSystem('Answer with one word.');
		await e.run(noWait);
		expect(wire.bodies).toHaveLength(12);
		expect(wire.bodies[0]?.messages).toEqual([
			{ role: 'system', content: 'Answer with one word.' },
			{ role: 'user', content: 'Capital city: Paris' }
		]);
		expect(new Set(wire.bodies.map((b) => b.model))).toEqual(new Set(['m1', 'm2']));
		expect(e.done).toBe(12);
		const statuses = e.jobs.map((j) => `${j.caseIndex}:${e.statusOf(j)}`);
		expect(statuses.filter((s) => s.startsWith('1:'))).toEqual(Array(4).fill('1:fail'));
		expect(statuses.filter((s) => s.startsWith('0:'))).toEqual(Array(4).fill('0:pass'));
		expect(store.results.size).toBe(12);
		const one = e.jobs[0] && e.resultOf(e.jobs[0]);
		expect(one).toMatchObject({
			text: 'echo: Capital city: Paris',
			usage: { completion_tokens: 4 }
		});
		expect(store.experiment?.cases).toHaveLength(3);
	});

	it('never has more than Concurrency requests in flight', async () => {
		const wire = fakeEndpoint();
		const { e } = experiment(['a', 'b', 'c']);
		e.setConcurrency(2);
		e.setRepetitions(2);
		await e.run(noWait);
		expect(wire.bodies).toHaveLength(18);
		expect(wire.most).toBe(2);
	});

	it('retries a 429 a bounded number of times, then marks the cell error with the server words', async () => {
		const wire = fakeEndpoint();
		const { e } = experiment(['busy']);
		const waits: number[] = [];
		await e.run({ sleep: async (ms) => void waits.push(ms) });
		expect(wire.bodies).toHaveLength(3 * 4);
		expect(waits.every((ms) => ms === 1000)).toBe(true);
		const result = e.jobs[0] && e.resultOf(e.jobs[0]);
		expect(result).toMatchObject({ status: 'error', retries: 3, error: { status: 429 } });
	});

	it('refuses to run, sending nothing, when the template names a variable a case lacks', async () => {
		const wire = fakeEndpoint();
		const { e } = experiment(['m1']);
		e.setTemplate('{{city}} in {{country}}');
		await e.run(noWait);
		expect(wire.bodies).toEqual([]);
		expect(e.problems.template).toEqual({
			key: 'experiment.template.unknown',
			vars: { case: 1, name: 'country' }
		});
	});

	it('refuses a target that cannot send, and says so on the target', async () => {
		const wire = fakeEndpoint();
		const { e } = experiment(['m1']);
		e.targets[0]?.setParam('temperature', 'hot');
		await e.run(noWait);
		expect(wire.bodies).toEqual([]);
		expect(e.problems.targets?.key).toBe('experiment.targets.invalid');
		expect(e.targets[0]?.errors.temperature).toBeDefined();
	});

	it('Stop aborts what is in flight, sends nothing more, and a later Run does only the rest', async () => {
		const wire = fakeEndpoint(true);
		const { e, store } = experiment(['m1']);
		e.setConcurrency(1);
		const run = e.run(noWait);
		await vi.waitFor(() => expect(e.inFlight).toBe(1));
		e.stop();
		await run;
		expect(wire.bodies).toHaveLength(1);
		expect(e.done).toBe(0);
		expect(e.running).toBe(false);

		// A reload: the same rows, a new state; one result was kept before.
		const reloaded = new ExperimentState(store, store.experiment, [...store.results.values()]);
		wire.release();
		await reloaded.run(noWait);
		expect(reloaded.done).toBe(3);
		expect(wire.bodies).toHaveLength(4);
	});
});

describe('judge', () => {
	it('asks the judge with the answer filled in; PASS, FAIL or no verdict decide the cell; its cost is its own', async () => {
		const wire = fakeEndpoint();
		const { e } = experiment(['m1']);
		e.setCheck('judge');
		const judge = e.judge;
		if (!judge) throw new Error('no judge');
		judge.setModel('grader');
		judge.setPrices({ input: 1_000_000, output: 0 });
		e.setJudgePrompt('Q: {{prompt}} ({{city}})\nA: {{answer}}\nPASS or FAIL?');
		await e.run(noWait);
		const asked = wire.bodies.filter((b) => b.model === 'grader');
		expect(asked).toHaveLength(3);
		expect(asked[0]?.messages).toEqual([
			{
				role: 'user',
				content: 'Q: Capital city: Paris (Paris)\nA: echo: Capital city: Paris\nPASS or FAIL?'
			}
		]);
		const [, rome, oslo] = e.jobs;
		expect(e.jobs.map((j) => e.statusOf(j))).toEqual(['pass', 'fail', 'error']);
		expect(oslo && e.resultOf(oslo)?.reason?.key).toBe('experiment.verdict.noJudgement');
		expect(rome && e.resultOf(rome)?.reason).toEqual({
			key: 'experiment.verdict.judge',
			vars: { detail: '**FAIL** wrong city' }
		});
		// 10 prompt tokens a call at 1 per token: the judge's cost, apart from the target's.
		expect(e.summaries[0]).toMatchObject({ judgeCost: 30, cost: undefined });
	});

	it('refuses a judge prompt without {{answer}}, sending nothing', async () => {
		const wire = fakeEndpoint();
		const { e } = experiment(['m1']);
		e.setCheck('judge');
		e.setJudgePrompt('Is it right?');
		await e.run(noWait);
		expect(wire.bodies).toEqual([]);
		expect(e.problems.judge).toEqual({ key: 'experiment.judge.noAnswer' });
	});
});

describe('setup', () => {
	it('importing new cases drops the old results; a bad file keeps the old cases and says why', async () => {
		fakeEndpoint();
		const { e, store } = experiment(['m1']);
		await e.run(noWait);
		expect(store.results.size).toBe(3);
		expect(e.importCases('a,b\n1\n', 'bad.csv')).toBe(false);
		expect(e.problems.cases?.key).toBe('experiment.cases.width');
		expect(e.cases).toHaveLength(3);
		expect(e.importCases('city\nBern\n', 'one.csv')).toBe(true);
		expect(e.problems.cases).toBeUndefined();
		expect(e.done).toBe(0);
		expect(store.results.size).toBe(0);
	});

	it('Add models from list makes one target per model with the endpoint of the column given', () => {
		const { e } = experiment([]);
		const from = e.addTarget();
		from?.setEndpoint({ baseUrl: FAKE_BASE_URL });
		if (!from) throw new Error('no target');
		const made = e.addModels(from, ['x/one', 'y/two']);
		expect(made.map((t) => [t.model, t.endpoint.baseUrl])).toEqual([
			['x/one', FAKE_BASE_URL],
			['y/two', FAKE_BASE_URL]
		]);
		expect(new Set(e.targets.map((t) => t.id)).size).toBe(3);
	});
});
