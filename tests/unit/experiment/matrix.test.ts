import { describe, expect, it } from 'vitest';
import { cellKey, matrixCells } from '../../../src/lib/experiment/matrix.ts';
import type { ResultRow, ResultStatus } from '../../../src/lib/db/experiment-rows.ts';

const r = (
	caseIndex: number,
	targetId: string,
	status: ResultStatus,
	totalMs?: number
): ResultRow => ({
	id: `${caseIndex}/${targetId}/${Math.random()}`,
	experimentId: 'e',
	caseIndex,
	targetId,
	repetition: 0,
	status,
	prompt: '',
	text: '',
	totalMs,
	retries: 0,
	finishedAt: 0
});

describe('matrixCells', () => {
	it('summarises each case × target over its repetitions', () => {
		const cells = matrixCells([
			r(0, 'a', 'pass', 100),
			r(0, 'a', 'pass', 300),
			r(0, 'b', 'pass', 10),
			r(0, 'b', 'fail', 20),
			r(1, 'a', 'fail', 5),
			r(1, 'b', 'error'),
			r(2, 'a', 'done', 7),
			r(2, 'b', 'pass', 1),
			r(2, 'b', 'error')
		]);
		expect(cells.get(cellKey(0, 'a'))).toEqual({
			results: 2,
			passed: 2,
			checked: 2,
			errors: 0,
			medianTotalMs: 200,
			tone: 'pass'
		});
		expect(cells.get(cellKey(0, 'b'))?.tone).toBe('mixed');
		expect(cells.get(cellKey(1, 'a'))?.tone).toBe('fail');
		expect(cells.get(cellKey(1, 'b'))).toMatchObject({ tone: 'error', medianTotalMs: undefined });
		expect(cells.get(cellKey(2, 'a'))?.tone).toBe('done');
		// An error among passes is not a clean pass.
		expect(cells.get(cellKey(2, 'b'))?.tone).toBe('mixed');
		expect(cells.has(cellKey(3, 'a'))).toBe(false);
	});
});
