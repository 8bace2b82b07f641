/**
 * An experiment: cases × targets × repetitions, run with bounded concurrency, checked,
 * measured and saved result by result. Targets are columns (endpoint, model, parameters), so
 * the endpoint and parameter controls of the chat work on them unchanged.
 */
import type { ColumnRow, ConversationRow, MessageRow, PresetRow } from '../db/rows.ts';
import {
	MAX_TARGETS,
	resultId,
	type ExperimentRow,
	type ResultRow,
	type ResultStatus
} from '../db/experiment-rows.ts';
import type { ExperimentCase } from '../experiment/cases.ts';
import { parseCases } from '../experiment/cases.ts';
import {
	checkProblem,
	DEFAULT_JUDGE_PROMPT,
	judgeVerdict,
	verdict,
	type CheckKind
} from '../experiment/checks.ts';
import { fillTemplate, templateProblem } from '../experiment/template.ts';
import { runPool, withRetries, type RetryOptions } from '../experiment/pool.ts';
import type { Message } from '../util/message.ts';
import { newId } from '../util/id.ts';
import type { Answer, ChatMessage } from '../wire/types.ts';
import { ColumnState, DETACHED, type ColumnHost } from './column.svelte.ts';
import { answerMetrics } from './metrics.ts';
import { summarize, type TargetSummary } from '../experiment/summary.ts';
import { resultsCsv, resultsJson } from '../experiment/export.ts';

/** What an experiment needs from storage: a fake in tests, Dexie in the app. */
export interface ExperimentStore {
	saveExperiment(row: ExperimentRow): void;
	saveResult(row: ResultRow): Promise<void>;
	clearResults(experimentId: string): Promise<void>;
	deleteResults(ids: string[]): Promise<void>;
}

export const MAX_REPETITIONS = 20;
export const MAX_CONCURRENCY = 16;

/** One cell of the run: a case, a target, a repetition. */
export interface Job {
	caseIndex: number;
	target: ColumnState;
	repetition: number;
}

/** One cell's result and retries, reactive on their own so a new result redraws its row only. */
class Cell {
	result: ResultRow | undefined = $state.raw();
	retries: number | undefined = $state();
	constructor(result: ResultRow | undefined, retries: number | undefined) {
		this.result = result;
		this.retries = retries;
	}
}

/**
 * How often a run's progress reaches the view. Each redraw lays out and paints the results
 * table; once a frame would keep the main thread busy for as long as a fast run lasts.
 */
const REDRAW_MS = 200;

export class ExperimentState {
	readonly id: string;
	readonly createdAt: number;
	#title = $state('');
	#variables = $state.raw<string[]>([]);
	#cases = $state.raw<ExperimentCase[]>([]);
	#template = $state('');
	#system = $state('');
	#check = $state<CheckKind>('none');
	#targets = $state.raw<ColumnState[]>([]);
	/** With check `judge`: the model that grades answers, and its instructions. */
	#judge = $state.raw<ColumnState | undefined>();
	#judgePrompt = $state(DEFAULT_JUDGE_PROMPT);
	#repetitions = $state(1);
	#concurrency = $state(2);
	// Plain maps on purpose: the view hears of them through #cells and #version (see #flush).
	/** Results by id (see resultId), replaced whole on change. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #results = new Map<string, ResultRow>();
	/** Cells in flight, by result id, and how many times each was asked again so far. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #running = new Map<string, number>();
	/**
	 * What the view reads of the two maps above, brought up to date by #flush: per cell, and a
	 * version for the figures over all of them. A SvelteMap would redraw every row per result
	 * (a missing key's read depends on the whole map).
	 */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #cells = new Map<string, Cell>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #dirty = new Set<string>();
	#version = $state(0);
	#flushQueued = false;
	#controller = $state.raw<AbortController | undefined>();
	/** Why Run refused, next to the control it concerns (`cases`, `template`, `check`, `targets`). */
	#problems = $state.raw<Record<string, Message>>({});
	#startedAt: number | undefined;
	#doneAtStart = 0;
	#store: ExperimentStore;
	#host: ColumnHost;

	constructor(store: ExperimentStore, row?: ExperimentRow, results: ResultRow[] = []) {
		this.#store = store;
		this.id = row?.id ?? newId();
		this.createdAt = row?.createdAt ?? Date.now();
		this.#host = { ...DETACHED, touch: () => this.#save() };
		this.#title = row?.title ?? '';
		this.#variables = row?.variables ?? [];
		this.#cases = row?.cases ?? [];
		this.#template = row?.template ?? '';
		this.#system = row?.system ?? '';
		this.#check = row?.check ?? 'none';
		this.#targets = (row?.targets ?? []).map((t) => new ColumnState(t, this.#host));
		this.#repetitions = row?.repetitions ?? 1;
		if (row?.judge) {
			this.#judge = new ColumnState(row.judge.target, this.#host);
			this.#judgePrompt = row.judge.prompt;
		}
		this.#concurrency = row?.concurrency ?? 2;
		for (const r of results) this.#results.set(r.id, r);
	}

	get title(): string {
		return this.#title;
	}
	get variables(): string[] {
		return this.#variables;
	}
	get cases(): ExperimentCase[] {
		return this.#cases;
	}
	get template(): string {
		return this.#template;
	}
	get system(): string {
		return this.#system;
	}
	get check(): CheckKind {
		return this.#check;
	}
	get targets(): ColumnState[] {
		return this.#targets;
	}
	get judge(): ColumnState | undefined {
		return this.#judge;
	}
	get judgePrompt(): string {
		return this.#judgePrompt;
	}
	get repetitions(): number {
		return this.#repetitions;
	}
	get concurrency(): number {
		return this.#concurrency;
	}
	get problems(): Record<string, Message> {
		return this.#problems;
	}
	get running(): boolean {
		return this.#controller !== undefined;
	}
	/** Requests in flight right now. */
	get inFlight(): number {
		void this.#version;
		return this.#running.size;
	}

	/** Every cell of the experiment as it is set up now, in table order. */
	readonly jobs: Job[] = $derived.by(() => {
		const jobs: Job[] = [];
		for (let caseIndex = 0; caseIndex < this.cases.length; caseIndex++)
			for (const target of this.targets)
				for (let repetition = 0; repetition < this.repetitions; repetition++)
					jobs.push({ caseIndex, target, repetition });
		return jobs;
	});

	/** Cells with a result (any status) among the current jobs. */
	readonly done: number = $derived.by(() => {
		void this.#version;
		return this.jobs.filter((j) => this.#results.has(this.#idOf(j))).length;
	});

	get total(): number {
		return this.cases.length * this.targets.length * this.repetitions;
	}

	/** Results of an earlier run that did not finish: Run goes on with the rest. */
	get canResume(): boolean {
		return !this.running && this.done > 0 && this.done < this.total;
	}

	/** Milliseconds left at the pace of this run so far, once it has a pace. */
	get etaMs(): number | undefined {
		const finished = this.done - this.#doneAtStart;
		if (!this.running || this.#startedAt === undefined || finished <= 0) return undefined;
		return ((Date.now() - this.#startedAt) / finished) * (this.total - this.done);
	}

	/** Figures per target, in target order. */
	readonly summaries: TargetSummary[] = $derived.by(() => {
		const results = this.results;
		return this.targets.map((t) => summarize(t.id, results));
	});

	/** Cells waiting to retry after a 429 or 5xx. */
	get retrying(): number {
		void this.#version;
		return [...this.#running.values()].filter((n) => n > 0).length;
	}

	/** The results as CSV, one line per result, and as JSON with the setup (keys left out). */
	exportResults(format: 'csv' | 'json'): string {
		const row = this.toRow();
		return format === 'csv' ? resultsCsv(row, this.results) : resultsJson(row, this.results);
	}

	/**
	 * One cell's exchange as a conversation of its own: the target's settings and system prompt,
	 * the prompt as sent and the answer as it came. Undefined for a cell without a result.
	 */
	asConversation(
		job: Job,
		title: string
	): { row: ConversationRow; messages: MessageRow[] } | undefined {
		const result = this.resultOf(job);
		if (!result) return undefined;
		const now = Date.now();
		const conversationId = newId();
		const column: ColumnRow = {
			...job.target.toRow(),
			id: newId(),
			label: undefined,
			system: this.system
		};
		const base = { conversationId, columnId: column.id, createdAt: now, updatedAt: now };
		const answer: Answer = {
			choices: [{ index: 0, content: result.text, reasoning: '', toolCalls: [] }],
			...(result.usage ? { usage: result.usage } : {}),
			...(result.model ? { model: result.model } : {}),
			timing: { startedAt: 0, firstTokenAt: result.ttftMs, endedAt: result.totalMs },
			status: result.status === 'error' ? 'failed' : 'done',
			...(result.error ? { error: result.error } : {})
		};
		return {
			row: { id: conversationId, title, columns: [column], createdAt: now, updatedAt: now },
			messages: [
				{ ...base, id: newId(), seq: 1, role: 'user', content: result.prompt },
				{ ...base, id: newId(), seq: 2, role: 'assistant', content: '', answer }
			]
		};
	}

	resultOf(job: Job): ResultRow | undefined {
		const id = this.#idOf(job);
		const cell = this.#cells.get(id);
		if (cell) return cell.result;
		// No cell yet: the next redraw makes one (see #flush), and this row hears of it.
		void this.#version;
		return this.#results.get(id);
	}

	/** `pending` for a cell not run yet (or running), else its result's status. */
	statusOf(job: Job): ResultStatus | 'pending' {
		return this.resultOf(job)?.status ?? 'pending';
	}

	/** How many times a running cell was asked again after a 429 or 5xx. */
	retriesOf(job: Job): number | undefined {
		const id = this.#idOf(job);
		const cell = this.#cells.get(id);
		if (cell) return cell.retries;
		void this.#version;
		return this.#running.get(id);
	}

	readonly #resultList: ResultRow[] = $derived.by(() => {
		void this.#version;
		return [...this.#results.values()];
	});

	get results(): ResultRow[] {
		return this.#resultList;
	}

	rename(title: string): void {
		this.#title = title.trim();
		this.#save();
	}

	/** Read cases from a CSV or JSONL file; the old results no longer answer them. */
	importCases(text: string, fileName: string): boolean {
		const parsed = parseCases(text, fileName);
		if (!parsed.ok) {
			this.#problems = { ...this.#problems, cases: parsed.problem };
			return false;
		}
		this.#variables = parsed.table.variables;
		this.#cases = parsed.table.cases;
		this.#problems = withoutKey(this.#problems, 'cases');
		if (!this.#title) this.#title = fileName.replace(/\.[^.]+$/, '');
		this.#changedSetup();
		return true;
	}

	/** Edit one cell of the cases table (`expected` for the expected value). */
	setCaseValue(caseIndex: number, name: string, value: string): void {
		this.#cases = this.#cases.map((c, i) => {
			if (i !== caseIndex) return c;
			return name === 'expected'
				? { ...c, expected: value }
				: { ...c, vars: { ...c.vars, [name]: value } };
		});
		this.#forget((r) => r.caseIndex === caseIndex);
		this.#save();
	}

	addCase(): void {
		this.#cases = [
			...this.#cases,
			{ vars: Object.fromEntries(this.variables.map((v) => [v, ''])) }
		];
		this.#save();
	}

	addVariable(name: string): void {
		const trimmed = name.trim();
		if (!trimmed || trimmed === 'expected' || this.variables.includes(trimmed)) return;
		this.#variables = [...this.variables, trimmed];
		this.#cases = this.#cases.map((c) => ({ ...c, vars: { ...c.vars, [trimmed]: '' } }));
		this.#save();
	}

	removeCase(caseIndex: number): void {
		this.#cases = this.#cases.filter((_, i) => i !== caseIndex);
		this.#changedSetup();
	}

	setTemplate(template: string): void {
		this.#template = template;
		this.#problems = withoutKey(this.#problems, 'template');
		this.#save();
	}

	setSystem(system: string): void {
		this.#system = system;
		this.#save();
	}

	setCheck(check: CheckKind): void {
		this.#check = check;
		// A judge starts as the first target's endpoint and model: change either in its group.
		const first = this.targets[0];
		if (check === 'judge' && !this.#judge && first)
			this.#judge = new ColumnState(
				{ ...first.toRow(), id: newId(), label: undefined },
				this.#host
			);
		this.#problems = withoutKey(this.#problems, 'check');
		this.#save();
	}

	setJudgePrompt(prompt: string): void {
		this.#judgePrompt = prompt;
		this.#problems = withoutKey(this.#problems, 'judge');
		this.#save();
	}

	setRepetitions(n: number): void {
		this.#repetitions = clampInt(n, 1, MAX_REPETITIONS);
		this.#save();
	}

	setConcurrency(n: number): void {
		this.#concurrency = clampInt(n, 1, MAX_CONCURRENCY);
		this.#save();
	}

	/** A target like `from` (the chat's column, or the last target), or the preset's. */
	addTarget(from?: ColumnState | ColumnRow, preset?: PresetRow): ColumnState | undefined {
		if (this.targets.length >= MAX_TARGETS) return undefined;
		const target = new ColumnState(
			from instanceof ColumnState ? { ...from.toRow(), id: newId() } : { ...from, id: newId() },
			this.#host
		);
		if (preset) target.applyPreset(preset);
		this.#targets = [...this.targets, target];
		this.#problems = withoutKey(this.#problems, 'targets');
		this.#save();
		return target;
	}

	/** One target per model, each with `from`'s endpoint and parameters. */
	addModels(from: ColumnState, models: readonly string[]): ColumnState[] {
		const room = MAX_TARGETS - this.targets.length;
		const made = models.slice(0, room).map((model) => {
			const target = new ColumnState(
				{ ...from.toRow(), id: newId(), label: undefined },
				this.#host
			);
			target.setModel(model);
			return target;
		});
		this.#targets = [...this.targets, ...made];
		this.#save();
		return made;
	}

	removeTarget(target: ColumnState): void {
		this.#targets = this.targets.filter((t) => t !== target);
		this.#forget((r) => r.targetId === target.id);
		this.#save();
	}

	/**
	 * Everything that would stop a run, by the control it concerns; empty when it can run.
	 * Checked before anything is sent.
	 */
	#blockers(): Record<string, Message> {
		const problems: Record<string, Message> = {};
		if (this.cases.length === 0) problems.cases = { key: 'experiment.cases.none' };
		const template = templateProblem(this.template, this.cases);
		if (template) problems.template = template;
		const check = checkProblem(this.check, this.cases);
		if (check) problems.check = check;
		if (this.targets.length === 0) problems.targets = { key: 'experiment.targets.none' };
		if (this.check === 'judge') {
			if (!this.#judgePrompt.includes('{{answer}}'))
				problems.judge = { key: 'experiment.judge.noAnswer' };
			else if (!this.#judge || !this.#judge.prepare([{ role: 'user', content: 'x' }]))
				problems.judge = { key: 'experiment.judge.invalid' };
		}
		return problems;
	}

	/**
	 * Run every cell that has no result yet (all of them after a change of setup; the rest after
	 * a reload or a Stop). Never more than `concurrency` requests at once.
	 */
	async run(opts: Pick<RetryOptions, 'sleep' | 'random'> = {}): Promise<void> {
		if (this.running) return;
		const problems = this.#blockers();
		// Every target is prepared (not only up to the first bad one), so each shows its problem.
		const ready = this.targets.map((t) => this.#prepare(t, 0) !== undefined);
		if (ready.includes(false)) problems.targets ??= { key: 'experiment.targets.invalid' };
		this.#problems = problems;
		if (Object.keys(problems).length) return;
		const todo = this.jobs.filter((j) => !this.#results.has(this.#idOf(j)));
		// Every cell of the run gets its own state now, so a result redraws its row only.
		for (const job of todo) this.#dirty.add(this.#idOf(job));
		this.#flush();
		const controller = new AbortController();
		this.#controller = controller;
		this.#startedAt = Date.now();
		this.#doneAtStart = this.done;
		try {
			await runPool(
				todo,
				this.concurrency,
				(job) => this.#runJob(job, controller.signal, opts),
				controller.signal
			);
		} finally {
			this.#flush();
			this.#controller = undefined;
			this.#startedAt = undefined;
		}
	}

	/** Forget every result and run the whole experiment again. */
	async runAgain(opts: Pick<RetryOptions, 'sleep' | 'random'> = {}): Promise<void> {
		if (this.running) return;
		this.#clearResults();
		await this.#store.clearResults(this.id);
		await this.run(opts);
	}

	/** Abort what is in flight and send nothing more; finished results stay. */
	stop(): void {
		this.#controller?.abort();
	}

	async #runJob(job: Job, signal: AbortSignal, opts: Pick<RetryOptions, 'sleep' | 'random'>) {
		const id = this.#idOf(job);
		const request = this.#prepare(job.target, job.caseIndex);
		if (!request) return;
		this.#setRunning(id, 0);
		const { answer, retries } = await withRetries(
			async () => (await job.target.ask(request, signal)).answer,
			{ ...opts, signal, onRetry: (attempt) => this.#setRunning(id, attempt) }
		);
		this.#setRunning(id, undefined);
		// A stopped cell has no result: a later Run asks it again.
		if (answer.status === 'stopped' || signal.aborted) return;
		const text = answer.choices[0]?.content ?? '';
		const expected = this.cases[job.caseIndex]?.expected;
		const ok = answer.status === 'done';
		let judged = ok ? verdict(this.check, text, expected) : undefined;
		const judge =
			ok && this.check === 'judge' ? await this.#askJudge(job, text, signal, opts) : undefined;
		if (judge === 'stopped') return;
		if (judge) judged = judge.verdict;
		const metrics = answerMetrics(answer, job.target.prices);
		const row: ResultRow = {
			id,
			experimentId: this.id,
			caseIndex: job.caseIndex,
			targetId: job.target.id,
			repetition: job.repetition,
			status: judged?.status ?? 'error',
			prompt: this.#prompt(job.caseIndex),
			request: request.body,
			text,
			...(judged?.status === 'fail' ? { reason: judged.reason } : {}),
			...(judge && !judge.verdict
				? { reason: { key: 'experiment.verdict.noJudgement', vars: { detail: judge.said.text } } }
				: {}),
			...(judge ? { judge: judge.said } : {}),
			...(answer.error ? { error: answer.error } : {}),
			model: answer.model ?? job.target.model,
			ttftMs: metrics.ttftMs,
			totalMs: metrics.totalMs,
			usage: answer.usage,
			tokensPerSecond: metrics.tokensPerSecond,
			cost: metrics.cost,
			retries,
			finishedAt: Date.now()
		};
		this.#results.set(id, row);
		this.#changed(id);
		await this.#store.saveResult($state.snapshot(row) as ResultRow);
	}

	/**
	 * Ask the judge to grade one answer. Its first word decides; no verdict, or a judge that
	 * failed, leaves the cell an error with the judge's words.
	 */
	async #askJudge(
		job: Job,
		answer: string,
		signal: AbortSignal,
		opts: Pick<RetryOptions, 'sleep' | 'random'>
	): Promise<
		| 'stopped'
		| { verdict: ReturnType<typeof verdict> | undefined; said: NonNullable<ResultRow['judge']> }
	> {
		const judge = this.#judge;
		const c = this.cases[job.caseIndex];
		const content = fillTemplate(this.#judgePrompt, {
			...c?.vars,
			prompt: this.#prompt(job.caseIndex),
			expected: c?.expected ?? '',
			answer
		});
		const request = judge?.prepare([{ role: 'user', content }]);
		if (!judge || !request) return { verdict: undefined, said: { text: '' } };
		const { answer: graded } = await withRetries(
			async () => (await judge.ask(request, signal)).answer,
			{ ...opts, signal }
		);
		if (graded.status === 'stopped' || signal.aborted) return 'stopped';
		const text = graded.choices[0]?.content ?? '';
		const said = {
			text,
			...(graded.usage ? { usage: graded.usage } : {}),
			cost: answerMetrics(graded, judge.prices).cost
		};
		const found = graded.status === 'done' ? judgeVerdict(text) : undefined;
		const reason: Message = { key: 'experiment.verdict.judge', vars: { detail: text } };
		return {
			verdict:
				found === 'pass'
					? { status: 'pass' }
					: found === 'fail'
						? { status: 'fail', reason }
						: undefined,
			said
		};
	}

	#prompt(caseIndex: number): string {
		return fillTemplate(this.template, this.cases[caseIndex]?.vars ?? {});
	}

	#prepare(target: ColumnState, caseIndex: number) {
		const messages: ChatMessage[] = [];
		if (this.system.trim()) messages.push({ role: 'system', content: this.system });
		messages.push({ role: 'user', content: this.#prompt(caseIndex) });
		return target.prepare(messages);
	}

	#setRunning(id: string, retries: number | undefined): void {
		if (retries === undefined) this.#running.delete(id);
		else this.#running.set(id, retries);
		this.#changed(id);
	}

	/** A cell changed: the view hears of it shortly, with every other change till then. */
	#changed(id: string): void {
		this.#dirty.add(id);
		if (this.#flushQueued) return;
		this.#flushQueued = true;
		setTimeout(() => this.#flush(), REDRAW_MS);
	}

	#flush(): void {
		this.#flushQueued = false;
		if (this.#dirty.size === 0) return;
		// Cells are made here, never while a row renders: state made inside a reaction is not
		// tracked by it, so a row that made its own cell would never hear of its result.
		for (const id of this.#dirty) {
			const cell = this.#cells.get(id);
			if (cell) {
				cell.result = this.#results.get(id);
				cell.retries = this.#running.get(id);
			} else this.#cells.set(id, new Cell(this.#results.get(id), this.#running.get(id)));
		}
		this.#dirty.clear();
		this.#version++;
	}

	#clearResults(): void {
		for (const id of this.#results.keys()) this.#dirty.add(id);
		this.#results.clear();
		this.#flush();
	}

	#idOf(job: Job): string {
		return resultId(this.id, job.caseIndex, job.target.id, job.repetition);
	}

	/** Cases changed shape: results by case index no longer answer them. */
	#changedSetup(): void {
		this.#clearResults();
		void this.#store.clearResults(this.id);
		this.#save();
	}

	/** Drop results that no longer answer the setup, here and in storage. */
	#forget(stale: (r: ResultRow) => boolean): void {
		const ids = this.results.filter(stale).map((r) => r.id);
		if (ids.length === 0) return;
		for (const id of ids) {
			this.#results.delete(id);
			this.#dirty.add(id);
		}
		this.#flush();
		void this.#store.deleteResults(ids);
	}

	toRow(): ExperimentRow {
		return {
			id: this.id,
			title: this.title,
			variables: [...this.variables],
			cases: $state.snapshot(this.cases) as ExperimentCase[],
			template: this.template,
			system: this.system,
			check: this.check,
			targets: this.targets.map((t) => t.toRow()),
			repetitions: this.repetitions,
			concurrency: this.concurrency,
			...(this.#judge ? { judge: { target: this.#judge.toRow(), prompt: this.#judgePrompt } } : {}),
			createdAt: this.createdAt,
			updatedAt: Date.now()
		};
	}

	#save(): void {
		this.#store.saveExperiment(this.toRow());
	}
}

function withoutKey(problems: Record<string, Message>, key: string): Record<string, Message> {
	return Object.fromEntries(Object.entries(problems).filter(([k]) => k !== key));
}

function clampInt(n: number, min: number, max: number): number {
	return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : min;
}
