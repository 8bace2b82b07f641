import type { ToolCall } from '../wire/types.ts';

/**
 * A name per call that tells calls of the same function apart (`get_weather #1`,
 * `get_weather #2`), so a result is never typed against the wrong call. A function called once
 * keeps its plain name.
 */
export function toolCallNames(calls: readonly ToolCall[]): string[] {
	// A Map, not an object: a tool may be called `constructor` or `__proto__`.
	const totals = new Map<string, number>();
	for (const c of calls) totals.set(c.function.name, (totals.get(c.function.name) ?? 0) + 1);
	const seen = new Map<string, number>();
	return calls.map(({ function: { name } }) => {
		const nth = (seen.get(name) ?? 0) + 1;
		seen.set(name, nth);
		return (totals.get(name) ?? 0) > 1 ? `${name} #${nth}` : name;
	});
}
