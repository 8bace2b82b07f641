import { describe, expect, it } from 'vitest';
import { checkJson } from '../../../src/lib/wire/schema-check.ts';

const schema = {
	type: 'object',
	properties: { answer: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
	required: ['answer'],
	additionalProperties: false
};

describe('checkJson', () => {
	it('not JSON → error at the root', () => {
		const v = checkJson('{"answer": ', schema);
		expect(v.ok).toBe(false);
		expect(!v.ok && v.errors).toHaveLength(1);
		expect(!v.ok && v.errors[0]?.path).toBe('');
		expect(!v.ok && v.errors[0]?.message.length).toBeGreaterThan(0);
	});

	it('JSON without a schema → ok', () => {
		expect(checkJson('[1,2]')).toEqual({ ok: true });
	});

	it('valid against the schema → ok', () => {
		expect(checkJson('{"answer": 42, "tags": ["a"]}', schema)).toEqual({ ok: true });
	});

	it('missing required property → error with a path', () => {
		const v = checkJson('{"tags": []}', schema);
		expect(v.ok).toBe(false);
		expect(!v.ok && v.errors.some((e) => e.path === '/' && /answer/.test(e.message))).toBe(true);
	});

	it('a wrong nested type → error naming its path', () => {
		const v = checkJson('{"answer": 1, "tags": ["a", 2]}', schema);
		expect(v.ok).toBe(false);
		expect(!v.ok && v.errors.map((e) => e.path)).toContain('/tags/1');
	});
});
