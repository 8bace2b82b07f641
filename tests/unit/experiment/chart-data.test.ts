import { describe, expect, it } from 'vitest';
import type { ResultRow, ResultStatus } from '../../../src/lib/db/experiment-rows.ts';
import {
	costs,
	latency,
	passRates,
	strip,
	tickLabel
} from '../../../src/lib/experiment/chart-data.ts';
import { summarize } from '../../../src/lib/experiment/summary.ts';

let n = 0;
function result(
	targetId: string,
	status: ResultStatus,
	totalMs?: number,
	ttftMs?: number,
	cost?: number
): ResultRow {
	n += 1;
	return {
		id: `e/${n}/${targetId}/0`,
		experimentId: 'e',
		caseIndex: n,
		targetId,
		repetition: 0,
		status,
		prompt: '',
		text: '',
		totalMs,
		ttftMs,
		cost,
		retries: 0,
		finishedAt: n
	};
}

describe('latency', () => {
	it('groups answered times by target in target order, leaving errors and unknown times out', () => {
		const results = [
			result('b', 'pass', 300, 100),
			result('a', 'done', 20, 5),
			result('a', 'fail', 40),
			result('a', 'error', 9000, 9000),
			result('b', 'pass', 100, 50)
		];
		expect(latency(['a', 'b', 'c'], results)).toEqual({
			ttft: [[5], [100, 50], []],
			total: [[20, 40], [300, 100], []],
			ttftMedian: [5, 75, undefined],
			totalMedian: [30, 200, undefined]
		});
	});
});

describe('strip', () => {
	it('puts every value once, its series beside the others around its target, x ascending', () => {
		const ttft = [[5], [100, 50]];
		const total = [[20, 40], [300]];
		const { x, ys } = strip([ttft, total]);
		expect(x).toEqual([...x].sort((a, b) => a - b));
		expect(ys.map((s) => s.length)).toEqual([x.length, x.length]);
		const points = (s: number) =>
			x.flatMap((xi, i) => (ys[s]?.[i] === null ? [] : [[xi, ys[s]?.[i]]]));
		// Target 0 at x = 0: TTFT left of centre, total right; target 1 at x = 1.
		expect(points(0)).toEqual([
			[-0.15, 5],
			[expect.closeTo(0.75), 50],
			[expect.closeTo(0.95), 100]
		]);
		expect(points(1)).toEqual([
			[expect.closeTo(0.05), 20],
			[expect.closeTo(0.25), 40],
			[1.15, 300]
		]);
	});

	it('gives equal values their own places', () => {
		const { x, ys } = strip([[[7, 7, 7]]]);
		expect(new Set(x).size).toBe(3);
		expect(ys).toEqual([[7, 7, 7]]);
	});
});

describe('bars', () => {
	it('draws pass rates in percent, a gap for a target with nothing checked', () => {
		const results = [result('a', 'pass'), result('a', 'fail'), result('b', 'error')];
		const summaries = ['a', 'b'].map((id) => summarize(id, results));
		expect(passRates(summaries)).toEqual({ x: [0, 1], ys: [[50, null]] });
	});

	it('has no pass-rate chart when no check ran, and no cost chart when nothing was priced', () => {
		const results = [result('a', 'done', 10), result('b', 'done', 20)];
		const summaries = ['a', 'b'].map((id) => summarize(id, results));
		expect(passRates(summaries)).toBeUndefined();
		expect(costs(summaries)).toBeUndefined();
	});

	it('sums the cost of each priced target', () => {
		const results = [
			result('a', 'done', 1, 1, 0.25),
			result('a', 'done', 1, 1, 0.5),
			result('b', 'done')
		];
		const summaries = ['a', 'b'].map((id) => summarize(id, results));
		expect(costs(summaries)).toEqual({ x: [0, 1], ys: [[0.75, null]] });
	});
});

describe('tickLabel', () => {
	it('keeps the whole label when it fits, else shortens it, else keeps the number', () => {
		expect(tickLabel(1, 'echo', 20)).toBe('1 · echo');
		expect(tickLabel(2, 'gpt-4.1-mini-2025-04-14', 12)).toBe('2 · gpt-4.1…');
		expect(tickLabel(3, 'gpt-4.1-mini', 5)).toBe('3');
	});
});
