/** The cases × targets view: one cell per pair, summarising its repetitions. */
import type { ResultRow } from '../db/experiment-rows.ts';
import { known, median } from './stats.ts';

export interface MatrixCell {
	results: number;
	passed: number;
	/** Results a check judged (pass or fail). */
	checked: number;
	errors: number;
	medianTotalMs?: number;
	/** The cell's verdict at a glance: every repetition passed, some did, none did, or no check. */
	tone: 'pass' | 'mixed' | 'fail' | 'error' | 'done';
}

export const cellKey = (caseIndex: number, targetId: string) => `${caseIndex}/${targetId}`;

export function matrixCells(results: readonly ResultRow[]): Map<string, MatrixCell> {
	const groups = new Map<string, ResultRow[]>();
	for (const r of results) {
		const key = cellKey(r.caseIndex, r.targetId);
		const group = groups.get(key);
		if (group) group.push(r);
		else groups.set(key, [r]);
	}
	const cells = new Map<string, MatrixCell>();
	for (const [key, rows] of groups) {
		const passed = rows.filter((r) => r.status === 'pass').length;
		const failed = rows.filter((r) => r.status === 'fail').length;
		const errors = rows.filter((r) => r.status === 'error').length;
		const checked = passed + failed;
		const tone: MatrixCell['tone'] =
			errors === rows.length
				? 'error'
				: checked === 0
					? 'done'
					: passed === checked && errors === 0
						? 'pass'
						: passed === 0
							? 'fail'
							: 'mixed';
		cells.set(key, {
			results: rows.length,
			passed,
			checked,
			errors,
			medianTotalMs: median(known(rows.filter((r) => r.status !== 'error').map((r) => r.totalMs))),
			tone
		});
	}
	return cells;
}
