/** A prompt template: `{{name}}` stands for the case's variable `name`. */
import type { Message } from '../util/message.ts';
import type { ExperimentCase } from './cases.ts';

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The names a template uses, each once, in order. */
export function placeholders(template: string): string[] {
	return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? ''))];
}

export function fillTemplate(template: string, vars: Record<string, string>): string {
	return template.replace(PLACEHOLDER, (whole, name: string) =>
		Object.hasOwn(vars, name) ? (vars[name] ?? '') : whole
	);
}

/** The first case that lacks a name the template uses, said with both: nothing runs until fixed. */
export function templateProblem(
	template: string,
	cases: readonly ExperimentCase[]
): Message | undefined {
	if (!template.trim()) return { key: 'experiment.template.empty' };
	const names = placeholders(template);
	for (const [i, c] of cases.entries()) {
		const missing = names.find((n) => !Object.hasOwn(c.vars, n));
		if (missing)
			return { key: 'experiment.template.unknown', vars: { case: i + 1, name: missing } };
	}
	return undefined;
}
