import { describe, expect, it } from 'vitest';
import { checkProblem, judgeVerdict, verdict } from '../../../src/lib/experiment/checks.ts';

describe('verdict', () => {
	it('contains and equals ignore surrounding white space, not case', () => {
		expect(verdict('contains', 'The answer is 4.', ' 4 ').status).toBe('pass');
		expect(verdict('contains', 'The answer is four.', '4').status).toBe('fail');
		expect(verdict('equals', '  Paris\n', 'Paris').status).toBe('pass');
		expect(verdict('equals', 'paris', 'Paris').status).toBe('fail');
	});

	it('regex takes a bare pattern or /pattern/flags', () => {
		expect(verdict('regex', 'Answer: 42', '\\b42\\b').status).toBe('pass');
		expect(verdict('regex', 'PARIS', '/paris/i').status).toBe('pass');
		expect(verdict('regex', 'PARIS', 'paris').status).toBe('fail');
	});

	it('json-schema parses the answer and validates it, saying where it fails', () => {
		const schema = JSON.stringify({
			type: 'object',
			properties: { n: { type: 'integer' } },
			required: ['n']
		});
		expect(verdict('json-schema', '{"n": 3}', schema).status).toBe('pass');
		const bad = verdict('json-schema', '{"n": "3"}', schema);
		expect(bad).toMatchObject({ status: 'fail', reason: { key: 'experiment.verdict.schema' } });
		expect(JSON.stringify(bad)).toContain('/n');
		expect(verdict('json-schema', 'not json', schema).status).toBe('fail');
	});

	it('none only says the answer arrived', () => {
		expect(verdict('none', 'anything')).toEqual({ status: 'done' });
	});
});

describe('checkProblem', () => {
	it('names the first case a check cannot use, before anything is sent', () => {
		expect(checkProblem('contains', [{ vars: {}, expected: 'a' }, { vars: {} }])).toEqual({
			key: 'experiment.check.noExpected',
			vars: { case: 2 }
		});
		expect(checkProblem('regex', [{ vars: {}, expected: '(' }])).toMatchObject({
			key: 'experiment.check.badExpected',
			vars: { case: 1 }
		});
		expect(checkProblem('json-schema', [{ vars: {}, expected: '[1]' }])?.key).toBe(
			'experiment.check.badExpected'
		);
		expect(checkProblem('none', [{ vars: {} }])).toBeUndefined();
		expect(checkProblem('judge', [{ vars: {} }])).toBeUndefined();
		expect(checkProblem('equals', [{ vars: {}, expected: 'x' }])).toBeUndefined();
	});
});

describe('judgeVerdict', () => {
	it('takes the first word of the reply, whatever its case or markup', () => {
		expect(judgeVerdict('PASS\nbecause')).toBe('pass');
		expect(judgeVerdict('  **Fail** - wrong')).toBe('fail');
		expect(judgeVerdict('pass.')).toBe('pass');
		expect(judgeVerdict('It passes')).toBeUndefined();
		expect(judgeVerdict('PASSABLE')).toBeUndefined();
		expect(judgeVerdict('')).toBeUndefined();
	});
});
