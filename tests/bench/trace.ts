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
	const self = new Map<string, { ms: number; count: number }>();
	const stack: Array<{ e: TraceEvent; end: number; children: number }> = [];
	let tasks = 0;
	let taskCount = 0;
	const close = (upTo: number) => {
		while (stack.length && (stack.at(-1)?.end ?? 0) <= upTo) {
			const top = stack.pop();
			if (!top) break;
			const s = self.get(top.e.name) ?? { ms: 0, count: 0 };
			s.ms += ((top.e.dur ?? 0) - top.children) / 1000;
			s.count++;
			self.set(top.e.name, s);
		}
	};
	for (const e of mine) {
		close(e.ts);
		const parent = stack.at(-1);
		if (parent) parent.children += e.dur ?? 0;
		else {
			tasks += (e.dur ?? 0) / 1000;
			taskCount++;
		}
		stack.push({ e, end: e.ts + (e.dur ?? 0), children: 0 });
	}
	close(Infinity);
	console.log(
		`\nTrace of "${name}": ${wallMs} ms wall, main thread busy ${tasks.toFixed(0)} ms in ${taskCount} top-level events; self time by event`
	);
	for (const [key, s] of [...self].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
		console.log(
			`  ${s.ms.toFixed(0).padStart(6)} ms  ${((s.ms / tasks) * 100).toFixed(1).padStart(5)} %  ${String(s.count).padStart(6)}×  ${key}`
		);
}
