/**
 * Runs `work` when the browser is idle (soon after the first paint), or after a short delay where
 * `requestIdleCallback` does not exist (Safari before 18). For loading code the page will need.
 */
export function whenIdle(work: () => void): void {
	if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 2000 });
	else setTimeout(work, 200);
}
