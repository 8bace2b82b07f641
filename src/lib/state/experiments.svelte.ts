/**
 * The experiments in storage and the one on screen. Setup edits are written once typing
 * pauses; every result is written as it arrives.
 */
import type { SwitchboardDb } from '../db/schema.ts';
import type { ExperimentRow } from '../db/experiment-rows.ts';
import {
	clearResults,
	deleteExperiment,
	deleteResults,
	getExperiment,
	listExperiments,
	listResults,
	putExperiment,
	putResult
} from '../db/experiments.ts';
import type { ColumnState } from './column.svelte.ts';
// Types only: the experiment code (CSV parser, checks, statistics) loads with its view.
import type { ExperimentState, ExperimentStore } from './experiment.svelte.ts';
import type { ResultRow } from '../db/experiment-rows.ts';

const SETTLE_MS = 300;

/** `#/e/<id>` names an experiment, as `#/c/<id>` names a conversation. */
export function experimentIdIn(hash: string): string | undefined {
	return /^#\/e\/([\w-]+)$/.exec(hash)?.[1];
}

export class Experiments {
	#db: SwitchboardDb;
	#guard: <T>(work: Promise<T>) => Promise<T | undefined>;
	#list = $state.raw<ExperimentRow[]>([]);
	#current = $state.raw<ExperimentState | undefined>();
	#next: { row: ExperimentRow; timer: ReturnType<typeof setTimeout> } | undefined;
	/** Writes asked for and not finished, a setup waiting for a pause included. */
	#pending = $state(0);
	#flushing: Promise<void> = Promise.resolve();
	#store: ExperimentStore;

	/** `guard` turns a storage failure into the app's banner. */
	constructor(db: SwitchboardDb, guard: <T>(work: Promise<T>) => Promise<T | undefined>) {
		this.#db = db;
		this.#guard = guard;
		this.#store = {
			saveExperiment: (row) => this.#schedule(row),
			// The setup first: a result must never be stored for an experiment that is not.
			saveResult: (row) => this.#write(this.flush().then(() => putResult(db, row))),
			clearResults: (id) => this.#write(clearResults(db, id)),
			deleteResults: (ids) => this.#write(deleteResults(db, ids))
		};
	}

	/** Everything asked to be written is on disk (tests and a reload can rely on it). */
	get saved(): boolean {
		return this.#pending === 0;
	}

	async #write(work: Promise<unknown>): Promise<void> {
		this.#pending++;
		try {
			await this.#guard(work);
		} finally {
			this.#pending--;
		}
	}

	/** Saved experiments, newest first. */
	get list(): ExperimentRow[] {
		return this.#list;
	}

	get current(): ExperimentState | undefined {
		return this.#current;
	}

	async refresh(): Promise<void> {
		this.#list = (await this.#guard(listExperiments(this.#db))) ?? [];
	}

	/** A new experiment whose first target is `from` (the chat's column), not saved until edited. */
	async create(from?: ColumnState): Promise<ExperimentState> {
		const experiment = await this.#make();
		if (from) experiment.addTarget(from);
		this.#current = experiment;
		this.#showInUrl();
		return experiment;
	}

	/** The one on screen, else the newest saved, else a new one. */
	async show(from?: ColumnState): Promise<ExperimentState> {
		if (this.#current) return this.#current;
		const newest = this.#list[0];
		if (newest && (await this.open(newest.id)) && this.#current) return this.#current;
		return this.create(from);
	}

	async open(id: string): Promise<boolean> {
		await this.flush();
		const row = await this.#guard(getExperiment(this.#db, id));
		if (!row) return false;
		const results = (await this.#guard(listResults(this.#db, id))) ?? [];
		this.#current = await this.#make(row, results);
		this.#showInUrl();
		return true;
	}

	async #make(row?: ExperimentRow, results?: ResultRow[]): Promise<ExperimentState> {
		const { ExperimentState } = await import('./experiment.svelte.ts');
		return new ExperimentState(this.#store, row, results);
	}

	async remove(id: string): Promise<void> {
		if (this.#next?.row.id === id) this.#cancel();
		if (this.#current?.id === id) {
			this.#current.stop();
			this.#current = undefined;
		}
		await this.#guard(deleteExperiment(this.#db, id));
		await this.refresh();
	}

	/** Write the setup waiting for a pause now (before leaving, exporting or opening another). */
	async flush(): Promise<void> {
		const next = this.#next;
		if (next) {
			this.#cancel();
			this.#flushing = this.#write(putExperiment(this.#db, next.row)).then(() => this.refresh());
		}
		// A write another caller started counts too: its row is not on disk before it ends.
		await this.#flushing;
	}

	#schedule(row: ExperimentRow): void {
		this.#cancel();
		this.#pending++;
		this.#next = { row, timer: setTimeout(() => void this.flush(), SETTLE_MS) };
		this.#showInUrl();
	}

	#cancel(): void {
		if (!this.#next) return;
		clearTimeout(this.#next.timer);
		this.#next = undefined;
		this.#pending--;
	}

	/** The address names the experiment on screen once it is saved (or about to be). */
	#showInUrl(): void {
		if (typeof location === 'undefined' || typeof history === 'undefined') return;
		const id = this.#current?.id;
		const saved = id && (this.#next?.row.id === id || this.#list.some((e) => e.id === id));
		const hash = saved ? `#/e/${id}` : '';
		if (location.hash === hash) return;
		history.replaceState(history.state, '', hash || `${location.pathname}${location.search}`);
	}
}
