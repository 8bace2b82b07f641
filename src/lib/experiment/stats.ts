/** Figures across repetitions and cases: medians, 95th percentiles, rates, sums. */

/** The value at quantile `q` (0..1) by the nearest-rank method; undefined for no values. */
export function quantile(values: readonly number[], q: number): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil(q * sorted.length));
	return sorted[Math.min(rank, sorted.length) - 1];
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const p95 = (values: readonly number[]) => quantile(values, 0.95);

/** The defined numbers only: a result without a TTFT says nothing about TTFT. */
export const known = (values: ReadonlyArray<number | undefined>): number[] =>
	values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

export function sum(values: ReadonlyArray<number | undefined>): number {
	return known(values).reduce((a, b) => a + b, 0);
}
