import { describe, expect, it } from 'vitest';
import { followTarget, isFollowing, spacerHeight } from '../../../src/lib/util/follow.ts';

describe('following the stream', () => {
	const view = { viewport: 600, pad: 16 };

	it('puts a new prompt with a short answer at the top, with room below for it', () => {
		const g = { ...view, promptTop: 2000, contentEnd: 2200 };
		expect(followTarget(g)).toBe(1984);
		// 2000 + spacer fills the view: scrolling to 1984 is possible.
		expect(2200 + spacerHeight(g) - 1984).toBeGreaterThanOrEqual(600);
	});

	it('keeps the newest text at the bottom once the answer outgrows the view', () => {
		const g = { ...view, promptTop: 2000, contentEnd: 5000 };
		expect(followTarget(g)).toBe(5000 + 16 - 600);
		expect(spacerHeight(g)).toBe(0);
	});

	it('never scrolls above the start of a short thread', () => {
		expect(followTarget({ ...view, promptTop: 0, contentEnd: 100 })).toBe(0);
	});

	it('stops following when the user scrolls up, and follows again near the latest turn', () => {
		expect(isFollowing(1000, 1400)).toBe(false);
		expect(isFollowing(1380, 1400)).toBe(true);
		expect(isFollowing(1500, 1400)).toBe(true);
	});
});
