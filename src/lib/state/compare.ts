import type { Prices } from '../db/rows.ts';
import type { Answer } from '../wire/types.ts';
import { answerMetrics, type AnswerMetrics } from './metrics.ts';

export interface CompareRow {
	column: number;
	model: string;
	metrics: AnswerMetrics;
	/** Only a finished answer can be fastest or cheapest: a stopped or failed one is partial. */
	complete: boolean;
}

export type CompareKey = 'ttftMs' | 'totalMs' | 'tokensPerSecond' | 'cost';

/** Each column's latest answer side by side, with the best value of each figure marked. */
export function compareRows(
	columns: ReadonlyArray<{ model: string; prices?: Prices; answer: Answer | undefined }>
): {
	rows: CompareRow[];
	best: Partial<Record<CompareKey, number>>;
	max: Record<CompareKey, number>;
} {
	const rows = columns.flatMap((c, i) =>
		c.answer && c.answer.status !== 'streaming'
			? [
					{
						column: i + 1,
						model: c.model,
						metrics: answerMetrics(c.answer, c.prices),
						complete: c.answer.status === 'done'
					}
				]
			: []
	);
	const pick = (key: CompareKey, better: (a: number, b: number) => boolean) => {
		let best: CompareRow | undefined;
		for (const row of rows) {
			if (!row.complete) continue;
			const v = row.metrics[key];
			if (typeof v !== 'number') continue;
			const b = best?.metrics[key];
			if (typeof b !== 'number' || better(v, b)) best = row;
		}
		return best?.column;
	};
	const max = (key: CompareKey) =>
		Math.max(
			0,
			...rows.map((r) => (typeof r.metrics[key] === 'number' ? (r.metrics[key] as number) : 0))
		);
	const lower = (a: number, b: number) => a < b;
	return {
		rows,
		best: {
			ttftMs: pick('ttftMs', lower),
			totalMs: pick('totalMs', lower),
			tokensPerSecond: pick('tokensPerSecond', (a, b) => a > b),
			cost: pick('cost', lower)
		},
		max: {
			ttftMs: max('ttftMs'),
			totalMs: max('totalMs'),
			tokensPerSecond: max('tokensPerSecond'),
			cost: max('cost')
		}
	};
}
