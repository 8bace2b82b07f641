/**
 * An experiment's cases from a file: CSV with a header row (RFC 4180 quoting, read by
 * Papa Parse) or JSONL with one object per line. Every column or key is a variable; `expected`
 * is what the answer is checked against.
 */
import Papa from 'papaparse';
import type { Message } from '../util/message.ts';

export interface ExperimentCase {
	vars: Record<string, string>;
	expected?: string;
}

export interface CaseTable {
	/** The variables in file order, without `expected`. */
	variables: string[];
	cases: ExperimentCase[];
}

export type CasesResult = { ok: true; table: CaseTable } | { ok: false; problem: Message };

export const EXPECTED = 'expected';
export { MAX_CASES } from '../db/experiment-rows.ts';
import { MAX_CASES } from '../db/experiment-rows.ts';

const fail = (key: Message['key'], vars?: Message['vars']): CasesResult => ({
	ok: false,
	problem: { key, vars }
});

/** JSONL when the name says so or the first character opens an object; CSV otherwise. */
export function parseCases(text: string, fileName = ''): CasesResult {
	const body = text.replace(/^\uFEFF/, '');
	const jsonl = /\.(jsonl|ndjson)$/i.test(fileName) || body.trimStart().startsWith('{');
	const result = jsonl ? parseJsonl(body) : parseCsv(body);
	if (result.ok && result.table.cases.length === 0) return fail('experiment.cases.empty');
	if (result.ok && result.table.cases.length > MAX_CASES)
		return fail('experiment.cases.tooMany', { count: result.table.cases.length, max: MAX_CASES });
	return result;
}

function parseCsv(text: string): CasesResult {
	const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
	const bad = parsed.errors.find((e) => e.type !== 'Delimiter');
	if (bad) return fail('experiment.cases.csv', { line: (bad.row ?? 0) + 1, detail: bad.message });
	const [header, ...rows] = parsed.data;
	if (!header) return fail('experiment.cases.empty');
	const names = header.map((h) => h.trim());
	const problem = headerProblem(names);
	if (problem) return { ok: false, problem };
	const cases: ExperimentCase[] = [];
	for (const [i, row] of rows.entries()) {
		if (row.length !== names.length)
			return fail('experiment.cases.width', {
				line: i + 2,
				count: row.length,
				expected: names.length
			});
		cases.push(toCase(Object.fromEntries(names.map((n, j) => [n, row[j] ?? '']))));
	}
	return { ok: true, table: { variables: names.filter((n) => n !== EXPECTED), cases } };
}

function headerProblem(names: string[]): Message | undefined {
	const empty = names.findIndex((n) => !n);
	if (empty >= 0) return { key: 'experiment.cases.noName', vars: { column: empty + 1 } };
	const twice = names.find((n, i) => names.indexOf(n) !== i);
	if (twice) return { key: 'experiment.cases.twice', vars: { name: twice } };
	return undefined;
}

function parseJsonl(text: string): CasesResult {
	const variables: string[] = [];
	const cases: ExperimentCase[] = [];
	for (const [i, line] of text.split(/\r?\n/).entries()) {
		if (!line.trim()) continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (err) {
			return fail('experiment.cases.jsonl', { line: i + 1, detail: (err as Error).message });
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value))
			return fail('experiment.cases.notObject', { line: i + 1 });
		const fields = Object.fromEntries(
			Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])
		);
		for (const k of Object.keys(fields))
			if (k !== EXPECTED && !variables.includes(k)) variables.push(k);
		cases.push(toCase(fields));
	}
	return { ok: true, table: { variables, cases } };
}

function toCase(fields: Record<string, string>): ExperimentCase {
	const { [EXPECTED]: expected, ...vars } = fields;
	return expected === undefined ? { vars } : { vars, expected };
}
