/** Searching 200,000 ids in slices: the same answers as at once, never all in one task. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalog } from '../../gateway/catalog.ts';
import { searchModels, searchModelsSliced } from '../../../src/lib/util/model-search.ts';

const BIG = catalog(200_000);

afterEach(() => vi.restoreAllMocks());

/** Counts the yields to the page; the clock moves 1 ms per reading, so slices end by count. */
function countYields(): { yields: number } {
	const seen = { yields: 0 };
	let now = 0;
	vi.spyOn(performance, 'now').mockImplementation(() => now++);
	vi.stubGlobal('scheduler', {
		yield: () => {
			seen.yields++;
			return Promise.resolve();
		}
	});
	return seen;
}

describe('searchModelsSliced', () => {
	it('yields to the page all along a 200,000-id search, with the answer of one at once', async () => {
		const seen = countYields();
		const catalogCopy = [...BIG];
		const sliced = await searchModelsSliced(catalogCopy, '', [], new AbortController().signal);
		// Indexing, browse keys, browsing: each handles 200,000 ids, at most 5,000 per task.
		expect(seen.yields).toBeGreaterThan((3 * BIG.length) / 5_000);
		expect(sliced).toEqual(searchModels(catalogCopy, '', []));
		seen.yields = 0;
		const found = await searchModelsSliced(
			catalogCopy,
			'codestral ft-1',
			[],
			new AbortController().signal
		);
		expect(seen.yields).toBeGreaterThan(BIG.length / 5_000);
		expect(found?.groups[0]?.ids[0]).toBe('mistralai/codestral:ft-1');
		expect(found).toEqual(searchModels([...BIG], 'codestral ft-1', []));
		vi.unstubAllGlobals();
	}, 60_000);

	it('stops a search whose query is stale; the next one still gets to the end', async () => {
		countYields();
		const ids = [...BIG];
		const stale = new AbortController();
		const first = searchModelsSliced(ids, 'gpt', [], stale.signal);
		await Promise.resolve();
		stale.abort();
		expect(await first).toBeUndefined();
		const next = await searchModelsSliced(ids, 'gpt 4o mini', [], new AbortController().signal);
		expect(next).toEqual(searchModels([...BIG], 'gpt 4o mini', []));
		vi.unstubAllGlobals();
	}, 60_000);
});
