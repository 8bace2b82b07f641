import { describe, expect, it } from 'vitest';
import { MAX_CASES, parseCases } from '../../../src/lib/experiment/cases.ts';

const table = (text: string, name = 'cases.csv') => {
	const r = parseCases(text, name);
	if (!r.ok) throw new Error(`refused: ${r.problem.key}`);
	return r.table;
};
const problem = (text: string, name = 'cases.csv') => {
	const r = parseCases(text, name);
	return r.ok ? undefined : r.problem;
};

describe('CSV', () => {
	it('reads a header row and quoted fields with commas, quotes and newlines (RFC 4180)', () => {
		const t = table(
			'question,lang,expected\r\n"Say ""hi"", then stop",en,hi\r\n"two\nlines",zh,"a, b"\r\n'
		);
		expect(t.variables).toEqual(['question', 'lang']);
		expect(t.cases).toEqual([
			{ vars: { question: 'Say "hi", then stop', lang: 'en' }, expected: 'hi' },
			{ vars: { question: 'two\nlines', lang: 'zh' }, expected: 'a, b' }
		]);
	});

	it('drops a byte order mark and keeps UTF-8 text as is', () => {
		const t = table('\uFEFFtopic\n回文字符串\némoji 🧪\n');
		expect(t.variables).toEqual(['topic']);
		expect(t.cases.map((c) => c.vars.topic)).toEqual(['回文字符串', 'émoji 🧪']);
	});

	it('has no expected when the file has no expected column', () => {
		expect(table('a\n1\n').cases).toEqual([{ vars: { a: '1' } }]);
	});

	it('says which line has the wrong number of fields', () => {
		expect(problem('a,b\n1,2\n3\n')).toEqual({
			key: 'experiment.cases.width',
			vars: { line: 3, count: 1, expected: 2 }
		});
	});

	it('refuses an unterminated quote, a nameless or repeated column, and an empty file', () => {
		expect(problem('a\n"open\n')?.key).toBe('experiment.cases.csv');
		expect(problem('a,,b\n1,2,3\n')).toEqual({
			key: 'experiment.cases.noName',
			vars: { column: 2 }
		});
		expect(problem('a,a\n1,2\n')).toEqual({ key: 'experiment.cases.twice', vars: { name: 'a' } });
		expect(problem('a,b\n')?.key).toBe('experiment.cases.empty');
		expect(problem('')?.key).toBe('experiment.cases.empty');
	});

	it(`refuses more than ${MAX_CASES} cases`, () => {
		const text = `n\n${Array.from({ length: MAX_CASES + 1 }, (_, i) => i).join('\n')}\n`;
		expect(problem(text)?.key).toBe('experiment.cases.tooMany');
	});
});

describe('JSONL', () => {
	it('reads one object per line; keys of every line are variables; non-strings become JSON', () => {
		const t = table(
			'{"q":"2+2?","expected":"4"}\n\n{"q":"json","n":3,"expected":{"type":"object"}}\n',
			'cases.jsonl'
		);
		expect(t.variables).toEqual(['q', 'n']);
		expect(t.cases).toEqual([
			{ vars: { q: '2+2?' }, expected: '4' },
			{ vars: { q: 'json', n: '3' }, expected: '{"type":"object"}' }
		]);
	});

	it('is recognised by its first character whatever the file is called', () => {
		expect(table('{"q":"a"}\r\n{"q":"b"}', 'paste.txt').cases).toHaveLength(2);
	});

	it('says which line is not JSON or not an object', () => {
		expect(problem('{"q":1}\n{oops}\n', 'x.jsonl')).toMatchObject({
			key: 'experiment.cases.jsonl',
			vars: { line: 2 }
		});
		expect(problem('{"q":1}\n[1]\n', 'x.jsonl')).toEqual({
			key: 'experiment.cases.notObject',
			vars: { line: 2 }
		});
	});
});
