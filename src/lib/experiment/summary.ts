/** Per-target figures across every case and repetition of an experiment. */
import type { ResultRow } from '../db/experiment-rows.ts';
import { known, median, p95, sum } from './stats.ts';

export interface TargetSummary {
	targetId: string;
	results: number;
	passed: number;
	failed: number;
	errors: number;
	/** passed ÷ checked (pass or fail); undefined when nothing was checked. */
	passRate?: number;
	ttftMedian?: number;
	ttftP95?: number;
	totalMedian?: number;
	totalP95?: number;
	/** Median generation speed of the answers that have one. */
	tokensPerSecond?: number;
	promptTokens: number;
	completionTokens: number;
	/** Undefined when no result of the target was priced. */
	cost?: number;
	/** What grading its answers cost, when a priced judge graded them. */
	judgeCost?: number;
}

export function summarize(targetId: string, results: readonly ResultRow[]): TargetSummary {
	const mine = results.filter((r) => r.targetId === targetId);
	const ok = mine.filter((r) => r.status !== 'error');
	const passed = mine.filter((r) => r.status === 'pass').length;
	const failed = mine.filter((r) => r.status === 'fail').length;
	const ttft = known(ok.map((r) => r.ttftMs));
	const total = known(ok.map((r) => r.totalMs));
	const costs = known(mine.map((r) => r.cost));
	const judgeCosts = known(mine.map((r) => r.judge?.cost));
	return {
		targetId,
		results: mine.length,
		passed,
		failed,
		errors: mine.length - ok.length,
		passRate: passed + failed > 0 ? passed / (passed + failed) : undefined,
		ttftMedian: median(ttft),
		ttftP95: p95(ttft),
		totalMedian: median(total),
		totalP95: p95(total),
		tokensPerSecond: median(known(ok.map((r) => r.tokensPerSecond))),
		promptTokens: sum(mine.map((r) => r.usage?.prompt_tokens)),
		completionTokens: sum(mine.map((r) => r.usage?.completion_tokens)),
		cost: costs.length ? sum(costs) : undefined,
		judgeCost: judgeCosts.length ? sum(judgeCosts) : undefined
	};
}
