/**
 * `BENCH_TRACE=<part of a case name> npm run bench`: a Chromium trace of that streaming case,
 * the renderer main thread's time printed by trace event, self time (children taken out). The
 * CPU profile (`BENCH_PROFILE`) names JavaScript; this names what it calls `(program)`: style,
 * layout, paint, HTML parsing, task handling, garbage collection.
 */
import type { Browser, Page } from 'playwright-core';

export const traced = process.env.BENCH_TRACE?.toLowerCase();

const CATEGORIES = [
	'toplevel',
	'devtools.timeline',
	'disabled-by-default-devtools.timeline',
	'blink',
	'v8',
	'v8.execute',
	'loading',
	'mojom'
];

interface TraceEvent {
	name: string;
	ph: string;
	ts: number;
	dur?: number;
	pid: number;
	tid: number;
	args?: { name?: string };
}

/** Runs `work`, tracing it when `name` is the case asked for. */
export async function maybeTrace(
	name: string,
	browser: Browser,
	page: Page,
	work: () => Promise<void>
): Promise<void> {
	if (!traced || !name.toLowerCase().includes(traced)) return work();
	await browser.startTracing(page, { categories: CATEGORIES });
	const started = Date.now();
	await work();
	const wallMs = Date.now() - started;
	const buffer = await browser.stopTracing();
	const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
	printTrace(name, traceEvents, wallMs);
}

/** The renderer main thread with the most events: the page's. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | undefined {
	const mains = events.filter(
		(e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain'
	);
	const count = (t: TraceEvent) => events.filter((e) => e.pid === t.pid && e.tid === t.tid).length;
	const best = mains.sort((a, b) => count(b) - count(a))[0];
	return best && { pid: best.pid, tid: best.tid };
}

function printTrace(name: string, events: TraceEvent[], wallMs: number, top = 30): void {
	const main = mainThread(events);
	if (!main) return void console.log('trace: no renderer main thread');
	const mine = events
		.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
		.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
	type Self = Map<string, { ms: number; count: number }>;
	const self: Self = new Map();
	/** Self time inside the longest top-level event, by event. */
	const worst = { ms: 0, self: new Map() as Self };
	let current: Self = new Map();
	const stack: Array<{ e: TraceEvent; end: number; children: number }> = [];
	let tasks = 0;
	let taskCount = 0;
	const add = (into: Self, key: string, ms: number) => {
		const s = into.get(key) ?? { ms: 0, count: 0 };
		s.ms += ms;
		s.count++;
		into.set(key, s);
	};
	const close = (upTo: number) => {
		while (stack.length && (stack.at(-1)?.end ?? 0) <= upTo) {
			const top = stack.pop();
			if (!top) break;
			const ms = ((top.e.dur ?? 0) - top.children) / 1000;
			add(self, top.e.name, ms);
			add(current, top.e.name, ms);
			if (!stack.length && (top.e.dur ?? 0) / 1000 > worst.ms)
				Object.assign(worst, { ms: (top.e.dur ?? 0) / 1000, self: current });
		}
	};
	for (const e of mine) {
		close(e.ts);
		const parent = stack.at(-1);
		if (parent) parent.children += e.dur ?? 0;
		else {
			tasks += (e.dur ?? 0) / 1000;
			taskCount++;
			current = new Map();
		}
		stack.push({ e, end: e.ts + (e.dur ?? 0), children: 0 });
	}
	close(Infinity);
	console.log(
		`\nTrace of "${name}": ${wallMs} ms wall, main thread busy ${tasks.toFixed(0)} ms in ${taskCount} top-level events; self time by event`
	);
	print(self, tasks, top);
	console.log(`The longest top-level event, ${worst.ms.toFixed(0)} ms, by event:`);
	print(worst.self, worst.ms, 12);
}

function print(self: Map<string, { ms: number; count: number }>, total: number, top: number) {
	for (const [key, s] of [...self].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
		console.log(
			`  ${s.ms.toFixed(0).padStart(6)} ms  ${((s.ms / total) * 100).toFixed(1).padStart(5)} %  ${String(s.count).padStart(6)}×  ${key}`
		);
}
