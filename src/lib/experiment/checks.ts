/** Is an answer right? Each check compares the answer text with the case's `expected`. */
import type { Message } from '../util/message.ts';
import { checkJson } from '../wire/schema-check.ts';
import type { ExperimentCase } from './cases.ts';

import type { CheckKind } from '../db/experiment-rows.ts';

export { CHECK_KINDS, type CheckKind } from '../db/experiment-rows.ts';

export type Verdict = { status: 'done' } | { status: 'pass' } | { status: 'fail'; reason: Message };

/** `/pattern/flags` or a bare pattern. */
function toRegExp(expected: string): RegExp {
	const m = /^\/(.*)\/([dgimsuvy]*)$/s.exec(expected);
	return m ? new RegExp(m[1] ?? '', m[2]) : new RegExp(expected);
}

function toSchema(expected: string): Record<string, unknown> {
	const schema: unknown = JSON.parse(expected);
	if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
		throw new Error('not an object');
	return schema as Record<string, unknown>;
}

/**
 * The first case whose `expected` this check cannot use (missing, a bad pattern, a schema that
 * is not JSON), found before anything is sent.
 */
export function checkProblem(
	kind: CheckKind,
	cases: readonly ExperimentCase[]
): Message | undefined {
	// A judge reads `expected` when a case has one; it needs none.
	if (kind === 'none' || kind === 'judge') return undefined;
	for (const [i, c] of cases.entries()) {
		const vars = { case: i + 1 };
		if (c.expected === undefined || c.expected === '')
			return { key: 'experiment.check.noExpected', vars };
		try {
			if (kind === 'regex') toRegExp(c.expected);
			if (kind === 'json-schema') toSchema(c.expected);
		} catch (err) {
			return {
				key: 'experiment.check.badExpected',
				vars: { ...vars, detail: (err as Error).message }
			};
		}
	}
	return undefined;
}

/** `contains` and `equals` ignore surrounding white space; both are case-sensitive. */
export function verdict(kind: CheckKind, answer: string, expected = ''): Verdict {
	const failed = (key: Message['key'], detail = ''): Verdict => ({
		status: 'fail',
		reason: { key, vars: { detail } }
	});
	switch (kind) {
		case 'none':
			return { status: 'done' };
		// Graded by another model once the answer is in (see judgeVerdict).
		case 'judge':
			return { status: 'done' };
		case 'contains':
			return answer.includes(expected.trim())
				? { status: 'pass' }
				: failed('experiment.verdict.contains');
		case 'equals':
			return answer.trim() === expected.trim()
				? { status: 'pass' }
				: failed('experiment.verdict.equals');
		case 'regex':
			return toRegExp(expected).test(answer)
				? { status: 'pass' }
				: failed('experiment.verdict.regex');
		case 'json-schema': {
			const v = checkJson(answer.trim(), toSchema(expected));
			return v.ok
				? { status: 'pass' }
				: failed(
						'experiment.verdict.schema',
						v.errors.map((e) => `${e.path}: ${e.message}`).join('; ')
					);
		}
	}
}

/**
 * What a judge asked for PASS or FAIL on its first line said: its first word decides
 * (`PASS`, `**Fail**`, `pass.`), anything else is no verdict.
 */
export function judgeVerdict(text: string): 'pass' | 'fail' | undefined {
	const first = /^[\W_]*(pass|fail)\b/i.exec(text.trim())?.[1]?.toLowerCase();
	return first === 'pass' || first === 'fail' ? first : undefined;
}

/** The judge's instructions until the user writes their own. */
export const DEFAULT_JUDGE_PROMPT = [
	'You grade an answer to a question.',
	'Question: {{prompt}}',
	'Expected (may be empty): {{expected}}',
	'Answer: {{answer}}',
	'Reply with PASS or FAIL on the first line, then one sentence saying why.'
].join('\n');
