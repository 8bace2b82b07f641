/**
 * What the experiment's charts draw, shaped here so the chart component only draws: uPlot wants
 * one ascending x array shared by every series, with a null where a series has no point.
 */
import type { ResultRow } from '../db/experiment-rows.ts';
import { known, median } from './stats.ts';
import type { TargetSummary } from './summary.ts';

/** Aligned columns: `x` ascending, `ys[s][i]` the value of series `s` at `x[i]`, or null. */
export interface Aligned {
	x: number[];
	ys: (number | null)[][];
}

/** Per target, in target order: the times of its answered results and their medians, in ms. */
export interface Latency {
	ttft: number[][];
	total: number[][];
	ttftMedian: (number | undefined)[];
	totalMedian: (number | undefined)[];
}

/** Errors are left out, as in the summary: a refused request says nothing about speed. */
export function latency(targetIds: readonly string[], results: readonly ResultRow[]): Latency {
	const answered = results.filter((r) => r.status !== 'error');
	const of = (id: string, pick: (r: ResultRow) => number | undefined) =>
		known(answered.filter((r) => r.targetId === id).map(pick));
	const ttft = targetIds.map((id) => of(id, (r) => r.ttftMs));
	const total = targetIds.map((id) => of(id, (r) => r.totalMs));
	return { ttft, total, ttftMedian: ttft.map(median), totalMedian: total.map(median) };
}

/** How far apart the series of one target sit, and how wide a target's dots spread. */
const SERIES_GAP = 0.3;
export const SPREAD = 0.2;

/** Where the dots of series `s` (of `count`) for target `t` are centred. */
export const stripCentre = (t: number, s: number, count: number) =>
	t + (s - (count - 1) / 2) * SERIES_GAP;

/**
 * A strip plot: target `t` is centred on x = t, each series beside the others, its dots spread
 * evenly across SPREAD in value order so that equal values stay visible side by side. The same
 * data always lands in the same place (no random jitter), so redraws do not shuffle dots.
 */
export function strip(series: readonly (readonly number[][])[]): Aligned {
	const points: { x: number; s: number; y: number }[] = [];
	series.forEach((byTarget, s) => {
		byTarget.forEach((values, t) => {
			const centre = stripCentre(t, s, series.length);
			const sorted = [...values].sort((a, b) => a - b);
			sorted.forEach((y, j) => {
				const dx = sorted.length > 1 ? (j / (sorted.length - 1) - 0.5) * SPREAD : 0;
				points.push({ x: centre + dx, s, y });
			});
		});
	});
	points.sort((a, b) => a.x - b.x);
	return {
		x: points.map((p) => p.x),
		ys: series.map((_, s) => points.map((p) => (p.s === s ? p.y : null)))
	};
}

/** Bars at x = 0, 1, …; undefined when no target has the figure (nothing checked or priced). */
function bars(values: (number | undefined)[]): Aligned | undefined {
	if (values.every((v) => v === undefined)) return undefined;
	return { x: values.map((_, i) => i), ys: [values.map((v) => v ?? null)] };
}

/** Pass rates in percent. */
export const passRates = (summaries: readonly TargetSummary[]) =>
	bars(summaries.map((s) => (s.passRate === undefined ? undefined : s.passRate * 100)));

export const costs = (summaries: readonly TargetSummary[]) => bars(summaries.map((s) => s.cost));

/** An axis label that fits `room` characters: the whole label, else the target's number only. */
export function tickLabel(n: number, model: string, room: number): string {
	const full = `${n} · ${model}`;
	if (full.length <= room) return full;
	return room >= 8 ? `${full.slice(0, room - 1)}…` : String(n);
}
