import type { ToolCall } from '../wire/types.ts';

/**
 * A name per call that tells calls of the same function apart (`get_weather #1`,
 * `get_weather #2`), so a result is never typed against the wrong call. A function called once
 * keeps its plain name.
 */
export function toolCallNames(calls: readonly ToolCall[]): string[] {
	const seen: Record<string, number> = {};
	return calls.map(({ function: { name } }) => {
		const total = calls.filter((c) => c.function.name === name).length;
		seen[name] = (seen[name] ?? 0) + 1;
		return total > 1 ? `${name} #${seen[name]}` : name;
	});
}
