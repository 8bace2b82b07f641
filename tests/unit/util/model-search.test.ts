/** The model picker's search: families, grouping, ranking, recent ids and large catalogs. */
import { describe, expect, it } from 'vitest';
import { familyOf, RECENT_GROUP, searchModels } from '../../../src/lib/util/model-search.ts';
import { CATALOG_300 } from '../../gateway/catalog.ts';

const flat = (r: { groups: Array<{ ids: string[] }> }) => r.groups.flatMap((g) => g.ids);
const families = (r: { groups: Array<{ family: string }> }) => r.groups.map((g) => g.family);

describe('familyOf', () => {
	it('groups by leading letters, aggregator vendor and the o-series', () => {
		expect(familyOf('gpt-4o')).toBe('gpt');
		expect(familyOf('claude-3-5-sonnet-20241022')).toBe('claude');
		expect(familyOf('deepseek-chat')).toBe('deepseek');
		expect(familyOf('qwen2.5-72b-instruct')).toBe('qwen');
		expect(familyOf('gemini-1.5-pro')).toBe('gemini');
		expect(familyOf('Llama-3.1-8B')).toBe('llama');
		expect(familyOf('openai/gpt-4o')).toBe('openai');
		expect(familyOf('Qwen/Qwen2.5-7B')).toBe('qwen');
		expect(familyOf('meta-llama/llama-3-70b')).toBe('meta-llama');
		expect(familyOf('o1-mini')).toBe('OpenAI o-series');
		expect(familyOf('o3')).toBe('OpenAI o-series');
		expect(familyOf('01-ai-yi')).toBe('01');
	});
});

describe('empty query', () => {
	const ids = ['gpt-4o', 'claude-3-haiku', 'gpt-4o-mini', 'claude-3-5-sonnet', 'deepseek-chat'];

	it('lists every id grouped by family, families and ids sorted', () => {
		const r = searchModels(ids, '', []);
		expect(r.total).toBe(5);
		expect(r.groups).toEqual([
			{ family: 'claude', ids: ['claude-3-5-sonnet', 'claude-3-haiku'] },
			{ family: 'deepseek', ids: ['deepseek-chat'] },
			{ family: 'gpt', ids: ['gpt-4o', 'gpt-4o-mini'] }
		]);
	});

	it('puts recent ids first, in their order, and not again in their family', () => {
		const r = searchModels(ids, '  ', ['gpt-4o-mini', 'my-own-model', 'claude-3-haiku']);
		expect(r.groups[0]).toEqual({
			family: RECENT_GROUP,
			ids: ['gpt-4o-mini', 'my-own-model', 'claude-3-haiku']
		});
		expect(flat(r)).toHaveLength(new Set(flat(r)).size);
		expect(r.total).toBe(6);
	});

	it('caps the ids shown at limit and reports the total', () => {
		const r = searchModels(CATALOG_300, '', ['gpt-4o'], 20);
		expect(flat(r)).toHaveLength(20);
		expect(r.total).toBe(300);
		expect(r.groups[0]?.family).toBe(RECENT_GROUP);
	});

	it('skips duplicates and empty ids', () => {
		expect(searchModels(['a', 'a', '', 'b'], '', ['']).total).toBe(2);
	});
});

describe('query', () => {
	const ids = [
		'gpt-4o-mini',
		'gpt-4o',
		'openai/gpt-4o',
		'chatgpt-4o-latest',
		'gpt-4-turbo',
		'claude-3-5-sonnet',
		'deepseek-chat'
	];

	it('ranks exact > prefix > substring at a word start > substring > subsequence', () => {
		const r = searchModels(
			['xgpt4o', 'my-gpt4o', 'gpt4o-mini', 'gpt4o', 'g-p-t-4-o', 'gzzzpt4o'],
			'gpt4o',
			[]
		);
		expect(flat(r)).toEqual(['gpt4o', 'gpt4o-mini', 'my-gpt4o', 'xgpt4o', 'gzzzpt4o', 'g-p-t-4-o']);
		// One group per family, in the order of its best hit.
		expect(families(r)).toEqual(['gpt', 'my', 'xgpt', 'gzzzpt', 'g']);
	});

	it('treats the name after vendor/ like a whole id and is case-insensitive', () => {
		const r = searchModels(ids, 'GPT-4O', []);
		expect(families(r)).toEqual(['gpt', 'openai', 'chatgpt']);
		expect(r.groups[0]?.ids).toEqual(['gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo']);
		expect(r.groups[1]?.ids).toEqual(['openai/gpt-4o']);
		expect(flat(r)).toContain('chatgpt-4o-latest');
		expect(flat(r)).not.toContain('claude-3-5-sonnet');
	});

	it('matches subsequences, fewer gaps first', () => {
		const r = searchModels(ids, 'c35s', []);
		expect(flat(r)).toEqual(['claude-3-5-sonnet']);
		expect(flat(searchModels(['a-b-c', 'abxc'], 'abc', []))).toEqual(['abxc', 'a-b-c']);
	});

	it('requires every word of the query', () => {
		const r = searchModels(ids, 'gpt mini', []);
		expect(flat(r)).toEqual(['gpt-4o-mini']);
	});

	it('keeps matching recent ids first and drops the others', () => {
		const r = searchModels(ids, 'gpt', ['deepseek-chat', 'gpt-4-turbo']);
		expect(r.groups[0]).toEqual({ family: RECENT_GROUP, ids: ['gpt-4-turbo'] });
		expect(flat(r).filter((id) => id === 'gpt-4-turbo')).toHaveLength(1);
		expect(r.total).toBe(5);
	});

	it('returns nothing (the typed text stays free) when no id matches', () => {
		const r = searchModels(ids, 'my-private-finetune', []);
		expect(r).toEqual({ groups: [], total: 0 });
	});
});

describe('large catalogs', () => {
	it('searches the 300-id gateway catalog by family', () => {
		const r = searchModels(CATALOG_300, 'claude sonnet', []);
		expect(r.total).toBeGreaterThan(0);
		for (const id of flat(r)) expect(id.toLowerCase()).toMatch(/claude.*sonnet|sonnet.*claude/);
		expect(new Set(CATALOG_300.map(familyOf)).size).toBeGreaterThanOrEqual(8);
	});

	it('narrows the last query while typing, with the same answers as a fresh search', () => {
		const ids = Array.from({ length: 20_000 }, (_, i) => `vendor${i % 50}/model-${i}-instruct`);
		for (const typed of [
			'v',
			'vendor4',
			'vendor4 m',
			'vendor4 model-12',
			'vendor4 model-1234',
			'x'
		])
			expect(searchModels(ids, typed, [])).toEqual(searchModels([...ids], typed, []));
	});

	// Generous time: the 2-core machine runs every unit file at once; nothing here asserts speed.
	it('ranks 200,000 ids with only the best `limit` kept', { timeout: 60_000 }, () => {
		const ids = Array.from({ length: 200_000 }, (_, i) => `vendor${i % 50}/model-${i}-instruct`);
		const all = searchModels(ids, 'model', [], 200);
		expect(all.total).toBe(200_000);
		expect(flat(all)).toHaveLength(200);
		const exact = searchModels(ids, 'model-123456-instruct', ['vendor0/model-0-instruct']);
		expect(flat(exact)).toEqual(['vendor6/model-123456-instruct']);
		const browse = searchModels(ids, '', ['x'], 50);
		expect(browse.total).toBe(200_001);
		expect(flat(browse)).toHaveLength(50);
		expect(flat(browse)[1]).toBe('vendor0/model-0-instruct');
	});
});
