/**
 * Experiments and results in a backup, checked like conversations (see row-check.ts): every
 * field the app reads is typed and bounded, and a result points at an experiment and one of its
 * targets in the same file.
 */
import { CHECK_KINDS, MAX_CASES, MAX_TARGETS, RESULT_STATUSES } from './experiment-rows.ts';
import {
	arr,
	check,
	checkColumn,
	checkError,
	checkText,
	checkUsage,
	isObj,
	LIMITS,
	num,
	obj,
	oneOf,
	opt,
	str,
	text,
	uniqueIds,
	type Obj
} from './row-check.ts';

const MAX_VARIABLES = 200;

function checkCase(c: Obj, path: string, variables: readonly string[]): void {
	const vars = obj(c.vars, `${path}.vars`);
	for (const v of Object.keys(vars)) {
		check(variables.includes(v), `${path}.vars.${v}`, 'one of the experiment’s variables');
		str(vars, v, `${path}.vars`, LIMITS.text);
	}
	opt(c, 'expected', text(LIMITS.text), path);
}

/** Returns the experiment's target ids, which its results must point at. */
export function checkExperiment(e: Obj, path: string): Set<string> {
	str(e, 'id', path, LIMITS.id);
	str(e, 'title', path, LIMITS.title);
	const variables = arr(e.variables, `${path}.variables`, MAX_VARIABLES).map((v, i) => {
		const ok = typeof v === 'string' && v.length > 0 && v.length <= LIMITS.name;
		check(ok, `${path}.variables[${i}]`, `a name of at most ${LIMITS.name} characters`);
		return v;
	});
	arr(e.cases, `${path}.cases`, MAX_CASES).forEach((c, i) =>
		checkCase(obj(c, `${path}.cases[${i}]`), `${path}.cases[${i}]`, variables)
	);
	str(e, 'template', path, LIMITS.system);
	str(e, 'system', path, LIMITS.system);
	oneOf(e, 'check', CHECK_KINDS, path);
	const targets = arr(e.targets, `${path}.targets`, MAX_TARGETS);
	uniqueIds(targets, `${path}.targets`);
	targets.forEach((t, i) => checkColumn(obj(t, `${path}.targets[${i}]`), `${path}.targets[${i}]`));
	num(e, 'repetitions', path);
	num(e, 'concurrency', path);
	if (e.judge !== undefined) {
		const judge = obj(e.judge, `${path}.judge`);
		checkColumn(obj(judge.target, `${path}.judge.target`), `${path}.judge.target`);
		str(judge, 'prompt', `${path}.judge`, LIMITS.system);
	}
	num(e, 'createdAt', path);
	num(e, 'updatedAt', path);
	return new Set(targets.map((t) => String((t as Obj).id)));
}

export function checkResult(r: Obj, path: string, targets: Map<string, Set<string>>): void {
	str(r, 'id', path, LIMITS.id * 3);
	const own = targets.get(str(r, 'experimentId', path, LIMITS.id));
	check(own !== undefined, `${path}.experimentId`, 'an experiment in this file');
	check(
		own.has(str(r, 'targetId', path, LIMITS.id)),
		`${path}.targetId`,
		'a target of its experiment'
	);
	num(r, 'caseIndex', path);
	num(r, 'repetition', path);
	oneOf(r, 'status', RESULT_STATUSES, path);
	str(r, 'prompt', path, LIMITS.text);
	str(r, 'text', path, LIMITS.text);
	opt(r, 'reason', checkText, path);
	opt(r, 'error', checkError, path);
	opt(r, 'model', text(LIMITS.model), path);
	for (const k of ['ttftMs', 'totalMs', 'tokensPerSecond', 'cost']) opt(r, k, num, path);
	opt(r, 'usage', checkUsage, path);
	if (r.request !== undefined) check(isObj(r.request), `${path}.request`, 'an object');
	if (r.judge !== undefined) {
		const judge = obj(r.judge, `${path}.judge`);
		str(judge, 'text', `${path}.judge`, LIMITS.text);
		opt(judge, 'usage', checkUsage, `${path}.judge`);
		opt(judge, 'cost', num, `${path}.judge`);
	}
	num(r, 'retries', path);
	num(r, 'finishedAt', path);
}

/** Both lists of a backup, or none: files before version 3 have neither. */
export function checkExperiments(experiments: unknown[], results: unknown[]): void {
	uniqueIds(experiments, 'experiments');
	uniqueIds(results, 'results');
	const targets = new Map<string, Set<string>>();
	experiments.forEach((e, i) =>
		targets.set(
			String((e as Obj).id),
			checkExperiment(obj(e, `experiments[${i}]`), `experiments[${i}]`)
		)
	);
	results.forEach((r, i) => checkResult(obj(r, `results[${i}]`), `results[${i}]`, targets));
}
