/**
 * Coalesces a burst of values into at most one call per animation frame:
 * a fast stream delivers many chunks per frame, the screen needs the latest one.
 */
export function frameCoalescer<T>(apply: (value: T) => void): {
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
	function flush() {
		if (handle !== undefined) unschedule(handle);
		handle = undefined;
		if (pending) {
			const { value } = pending;
			pending = undefined;
			apply(value);
		}
	}
	return {
		push(value) {
			pending = { value };
			if (handle === undefined)
				handle = schedule(() => {
					handle = undefined;
					flush();
				});
		},
		flush,
		cancel() {
			if (handle !== undefined) unschedule(handle);
			handle = undefined;
			pending = undefined;
		}
	};
}
