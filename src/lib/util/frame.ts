/**
 * Coalesces a burst of values into at most one call per animation frame:
 * a fast stream delivers many chunks per frame, the screen needs the latest one.
 * `minInterval(value)` (ms) spaces calls further apart: a frame comes and goes without one
 * until that long has passed since the last.
 */
export function frameCoalescer<T>(
	apply: (value: T) => void,
	opts: { minInterval?: (value: T) => number; now?: () => number } = {}
): {
	push(value: T): void;
	flush(): void;
	cancel(): void;
} {
	let pending: { value: T } | undefined;
	let handle: number | undefined;
	const schedule =
		typeof requestAnimationFrame === 'function'
			? (fn: () => void) => requestAnimationFrame(fn)
			: (fn: () => void) => setTimeout(fn, 16) as unknown as number;
	const unschedule =
		typeof cancelAnimationFrame === 'function'
			? (h: number) => cancelAnimationFrame(h)
			: (h: number) => clearTimeout(h);
	const now = opts.now ?? (() => performance.now());
	let last = -Infinity;
	function flush() {
		if (handle !== undefined) unschedule(handle);
		handle = undefined;
		if (pending) {
			const { value } = pending;
			pending = undefined;
			last = now();
			apply(value);
		}
	}
	function onFrame() {
		handle = undefined;
		const wait = pending && opts.minInterval ? opts.minInterval(pending.value) : 0;
		if (now() - last < wait) handle = schedule(onFrame);
		else flush();
	}
	return {
		push(value) {
			pending = { value };
			if (handle === undefined) handle = schedule(onFrame);
		},
		flush,
		cancel() {
			if (handle !== undefined) unschedule(handle);
			handle = undefined;
			pending = undefined;
		}
	};
}
