import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frameCoalescer } from '../../../src/lib/util/frame.ts';
import { liveInterval } from '../../../src/lib/state/column.svelte.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';

// Without a window, frames are 16 ms timers: fake timers step them and `Date.now` with them.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('frameCoalescer', () => {
	it('applies the latest of a burst once a frame', () => {
		const applied: number[] = [];
		const frame = frameCoalescer<number>((v) => applied.push(v), { now: () => Date.now() });
		for (let i = 1; i <= 5; i++) frame.push(i);
		vi.advanceTimersByTime(16);
		expect(applied).toEqual([5]);
		frame.push(6);
		vi.advanceTimersByTime(16);
		expect(applied).toEqual([5, 6]);
	});

	it('lets frames pass without a call until the interval a value asks for has passed', () => {
		const applied: number[] = [];
		const frame = frameCoalescer<number>((v) => applied.push(v), {
			minInterval: () => 100,
			now: () => Date.now()
		});
		// A value every 4 ms for a second: ten calls, not sixty.
		for (let t = 0; t < 1000; t += 4) {
			frame.push(t);
			vi.advanceTimersByTime(4);
		}
		vi.advanceTimersByTime(200);
		expect(applied.length).toBeGreaterThanOrEqual(9);
		expect(applied.length).toBeLessThanOrEqual(12);
		// The last value pushed always arrives.
		expect(applied.at(-1)).toBe(996);
	});

	it('flush applies what is pending at once; cancel drops it', () => {
		const applied: number[] = [];
		const frame = frameCoalescer<number>((v) => applied.push(v), { minInterval: () => 1000 });
		frame.push(1);
		frame.flush();
		frame.push(2);
		frame.cancel();
		vi.advanceTimersByTime(5000);
		expect(applied).toEqual([1]);
	});
});

describe('liveInterval', () => {
	const answer = (content: string, reasoning = ''): Answer => ({
		choices: [{ index: 0, content, reasoning, toolCalls: [] }],
		timing: { startedAt: 0 },
		status: 'streaming'
	});

	it('updates a short answer every frame and a long one less often, at most every 100 ms', () => {
		expect(liveInterval(answer('x'.repeat(16_000)))).toBe(0);
		expect(liveInterval(answer('x'.repeat(10_000), 'y'.repeat(10_000)))).toBeCloseTo(39, 0);
		expect(liveInterval(answer('x'.repeat(1_000_000)))).toBe(100);
	});
});
