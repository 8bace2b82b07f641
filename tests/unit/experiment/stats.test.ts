import { describe, expect, it } from 'vitest';
import { known, median, p95, quantile, sum } from '../../../src/lib/experiment/stats.ts';

describe('statistics', () => {
	it('median of odd and even counts, order-independent', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeUndefined();
	});

	it('p95 by nearest rank', () => {
		const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
		expect(p95(hundred)).toBe(95);
		expect(p95([10, 20])).toBe(20);
		expect(quantile([7], 0)).toBe(7);
	});

	it('ignores unknown figures', () => {
		expect(known([1, undefined, Number.NaN, 2])).toEqual([1, 2]);
		expect(sum([0.5, undefined, 0.25])).toBe(0.75);
	});
});
