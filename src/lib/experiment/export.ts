/** Results as files: CSV (one line per result) and JSON (the setup and every result). */
import Papa from 'papaparse';
import type { ExperimentRow, ResultRow } from '../db/experiment-rows.ts';
import { stripSecretHeaders } from '../wire/endpoint.ts';

export const CSV_COLUMNS = [
	'case',
	'target',
	'model',
	'repetition',
	'status',
	'answer',
	'ttft_ms',
	'total_ms',
	'prompt_tokens',
	'completion_tokens',
	'cost',
	'retries',
	'error',
	'judge',
	'judge_cost'
] as const;

const round = (n: number | undefined) => (n === undefined ? '' : Math.round(n));

/**
 * One line per result in table order: the case's variables first (as columns named after
 * them), then what the answer was. Targets are numbered from 1 as on screen.
 */
export function resultsCsv(experiment: ExperimentRow, results: readonly ResultRow[]): string {
	const targetNumber = new Map(experiment.targets.map((t, i) => [t.id, i + 1]));
	const sorted = [...results].sort(
		(a, b) =>
			a.caseIndex - b.caseIndex ||
			(targetNumber.get(a.targetId) ?? 0) - (targetNumber.get(b.targetId) ?? 0) ||
			a.repetition - b.repetition
	);
	const rows = sorted.map((r) => {
		const vars = experiment.cases[r.caseIndex]?.vars ?? {};
		return [
			...experiment.variables.map((v) => vars[v] ?? ''),
			r.caseIndex + 1,
			targetNumber.get(r.targetId) ?? '',
			r.model ?? '',
			r.repetition + 1,
			r.status,
			r.text,
			round(r.ttftMs),
			round(r.totalMs),
			r.usage?.prompt_tokens ?? '',
			r.usage?.completion_tokens ?? '',
			r.cost ?? '',
			r.retries,
			r.error?.detail ?? (r.error ? (r.error.status ?? r.error.kind) : ''),
			r.judge?.text ?? '',
			r.judge?.cost ?? ''
		];
	});
	// A variable may share a name with a result column: prefix it so no header repeats.
	const header = [...experiment.variables.map((v) => `var:${v}`), ...CSV_COLUMNS];
	return Papa.unparse({ fields: header, data: rows }, { newline: '\r\n' });
}

export function resultsJson(experiment: ExperimentRow, results: readonly ResultRow[]): string {
	// Keys stay in the browser: the export names each target's endpoint without its key or
	// the values of secret headers.
	const targets = experiment.targets.map((t) => ({
		...t,
		endpoint: {
			...t.endpoint,
			apiKey: '',
			extraHeaders: stripSecretHeaders(t.endpoint.extraHeaders)
		}
	}));
	return JSON.stringify({ experiment: { ...experiment, targets }, results }, null, 2);
}
