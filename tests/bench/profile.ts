/**
 * `BENCH_PROFILE=<part of a case name> npm run bench`: a Chromium CPU profile of that streaming
 * case, its top self time printed by function. The bench then serves an unminified build, so the
 * names are the sources' own; time in style, layout and paint shows as "(program)".
 */
import { spawnSync } from 'node:child_process';
import type { CDPSession } from 'playwright-core';

export const profiled = process.env.BENCH_PROFILE?.toLowerCase();

/** The directory the bench serves: the normal build, or an unminified one when profiling. */
export function siteDir(): string {
	if (!profiled) return 'dist';
	const out = 'tests/.artifacts/dist-profile';
	const r = spawnSync(
		'npx',
		['vite', 'build', '--mode', 'e2e', '--minify', 'false', '--outDir', out, '--emptyOutDir'],
		{ stdio: 'inherit' }
	);
	if (r.status !== 0) throw new Error('BENCH_PROFILE: the unminified build failed');
	return out;
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
	nodes: ProfileNode[];
	samples?: number[];
	timeDeltas?: number[];
}

/** Runs `work`, profiling it when `name` is the case asked for. */
export async function maybeProfile(
	name: string,
	cdp: CDPSession,
	work: () => Promise<void>
): Promise<void> {
	if (!profiled || !name.toLowerCase().includes(profiled)) return work();
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
	await work();
	const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
	printTop(name, profile);
}

function printTop(name: string, profile: Profile, top = 20): void {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<string, number>();
	let busy = 0;
	(profile.samples ?? []).forEach((id, i) => {
		const frame = byId.get(id)?.callFrame;
		const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
		if (!frame || frame.functionName === '(idle)') return;
		const file = frame.url.slice(frame.url.lastIndexOf('/') + 1);
		const key = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
		self.set(key, (self.get(key) ?? 0) + ms);
		busy += ms;
	});
	console.log(`\nCPU profile of "${name}": ${busy.toFixed(0)} ms busy, top self time`);
	for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
		console.log(
			`  ${ms.toFixed(0).padStart(6)} ms  ${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${key}`
		);
}
