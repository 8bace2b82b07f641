import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
	vi.unstubAllGlobals();
	vi.resetModules();
});

it('refuses to sanitise outside a browser rather than return the HTML as it came', async () => {
	const { sanitize } = await import('../../../src/lib/markdown/sanitize.ts');
	expect(() => sanitize('<img src=x onerror=alert(1)>')).toThrow(/needs a DOM/);
});

it('refuses to sanitise before DOMPurify has loaded where the browser has no sanitiser', async () => {
	// A page without Element.setHTML: sanitize() must wait for sanitizerReady().
	vi.stubGlobal('document', {});
	const { sanitize } = await import('../../../src/lib/markdown/sanitize.ts');
	expect(() => sanitize('<img src=x onerror=alert(1)>')).toThrow(
		'sanitize() before sanitizerReady() resolved: await it once before rendering'
	);
});
