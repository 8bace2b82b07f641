import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { resultsCsv, resultsJson } from '../../../src/lib/experiment/export.ts';
import type { ExperimentRow, ResultRow } from '../../../src/lib/db/experiment-rows.ts';
import { DEFAULT_ENDPOINT } from '../../../src/lib/wire/endpoint.ts';

const target = (id: string, model: string) => ({
	id,
	endpoint: {
		...DEFAULT_ENDPOINT,
		baseUrl: 'https://gw.example/v1',
		apiKey: 'sk-secret-1',
		extraHeaders: 'X-Trace-ID: abc\nX-Api-Token: tok-secret-2'
	},
	model,
	params: {},
	system: ''
});

const experiment: ExperimentRow = {
	id: 'e',
	title: 't',
	variables: ['question', 'status'],
	cases: [
		{ vars: { question: 'a, "quoted"\nline', status: 'x' }, expected: 'a' },
		{ vars: { question: 'b', status: 'y' } }
	],
	template: '{{question}}',
	system: '',
	check: 'contains',
	targets: [target('t1', 'm1'), target('t2', 'm2')],
	repetitions: 1,
	concurrency: 1,
	createdAt: 1,
	updatedAt: 1
};

const result = (
	caseIndex: number,
	targetId: string,
	extra: Partial<ResultRow> = {}
): ResultRow => ({
	id: `${caseIndex}/${targetId}`,
	experimentId: 'e',
	caseIndex,
	targetId,
	repetition: 0,
	status: 'pass',
	prompt: 'p',
	text: 'answer, with "quotes"\nand a newline',
	ttftMs: 12.4,
	totalMs: 40.6,
	usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
	retries: 0,
	finishedAt: 1,
	...extra
});

describe('results export', () => {
	it('writes one CSV line per result in table order, quoting what needs it, that parses back', () => {
		const csv = resultsCsv(experiment, [
			result(1, 't1'),
			result(0, 't2', {
				status: 'error',
				text: '',
				error: { kind: 'http', status: 429, message: { key: 'error.http' }, detail: 'slow down' }
			}),
			result(0, 't1')
		]);
		const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
		expect(parsed[0]).toEqual([
			'var:question',
			'var:status',
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
		]);
		expect(parsed).toHaveLength(4);
		expect(parsed.slice(1).map((r) => [r[2], r[3], r[6]])).toEqual([
			['1', '1', 'pass'],
			['1', '2', 'error'],
			['2', '1', 'pass']
		]);
		expect(parsed[1]?.[0]).toBe('a, "quoted"\nline');
		expect(parsed[1]?.[7]).toBe('answer, with "quotes"\nand a newline');
		expect(parsed[1]?.slice(8, 12)).toEqual(['12', '41', '3', '5']);
		expect(parsed[2]?.[14]).toBe('slow down');
	});

	it('leaves keys and secret header values out of the JSON', () => {
		const json = resultsJson(experiment, [result(0, 't1')]);
		expect(json).not.toContain('sk-secret-1');
		expect(json).not.toContain('tok-secret-2');
		expect(json).toContain('X-Trace-ID: abc');
		expect(JSON.parse(json).results).toHaveLength(1);
	});
});
