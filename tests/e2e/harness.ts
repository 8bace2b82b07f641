/** Debian Chromium driven by playwright-core: one browser per test file, a fresh context per session. */
import { mkdirSync } from 'node:fs';
import { afterAll, inject } from 'vitest';
import { chromiumPath, CHROMIUM_ARGS } from './chromium.ts';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export interface Session {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	appUrl: string;
	cspViolations: string[];
	foreignRequests: string[];
	consoleErrors: string[];
	close(): Promise<void>;
}

let browser: Promise<Browser> | undefined;

/** One Chromium per test file, launched on first use and closed after the file's tests. */
export function launch(): Promise<Browser> {
	browser ??= chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	return browser;
}

afterAll(async () => {
	if (browser) await (await browser).close();
	browser = undefined;
});

/**
 * A fresh browser context (so empty storage) on the built app, recording CSP violations, requests
 * to foreign hosts and console errors; resolves once the app says it is ready.
 */
export async function openApp(
	opts: {
		locale?: string;
		colorScheme?: 'light' | 'dark';
		viewport?: { width: number; height: number };
		/** Hosts (`127.0.0.1:PORT`) the app may talk to besides its own, e.g. the gateway's. */
		allowedHosts?: string[];
		/** Appended to the app URL, e.g. `#/some-state`. */
		path?: string;
		/** Runs on the fresh context before the app loads, e.g. to hold back a chunk. */
		before?: (context: BrowserContext) => Promise<unknown>;
	} = {}
): Promise<Session> {
	const appUrl = inject('appUrl');
	const b = await launch();
	const context = await b.newContext({
		locale: opts.locale ?? 'en-US',
		colorScheme: opts.colorScheme ?? 'light',
		viewport: opts.viewport ?? { width: 1280, height: 900 },
		acceptDownloads: true
	});
	const page = await context.newPage();
	const cspViolations: string[] = [];
	const foreignRequests: string[] = [];
	const consoleErrors: string[] = [];
	const allowed = new Set([new URL(appUrl).host, ...(opts.allowedHosts ?? [])]);
	await page.exposeFunction('__reportCsp', (text: string) => void cspViolations.push(text));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			(window as unknown as { __reportCsp: (s: string) => void }).__reportCsp(
				`${e.violatedDirective} ${e.blockedURI}`
			);
		});
	});
	const foreign = (raw: string) => {
		const url = new URL(raw);
		if (/^(https?|wss?):$/.test(url.protocol) && !allowed.has(url.host)) foreignRequests.push(raw);
	};
	// The context sees workers' and popups' requests too, not only the page's.
	context.on('request', (r) => foreign(r.url()));
	page.on('websocket', (ws) => foreign(ws.url()));
	page.on('console', (m) => {
		if (m.type() === 'error') consoleErrors.push(m.text());
		if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
	});
	page.on('pageerror', (e) => consoleErrors.push(`Uncaught: ${e.message}`));
	await opts.before?.(context);
	await page.goto(`${appUrl}${opts.path ?? ''}`);
	await page.locator('.app[data-ready="true"]').waitFor();
	return {
		browser: b,
		context,
		page,
		appUrl,
		cspViolations,
		foreignRequests,
		consoleErrors,
		close: () => context.close()
	};
}

/** Saves a screenshot to tests/.artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync('tests/.artifacts', { recursive: true });
	const path = `tests/.artifacts/${name}.png`;
	await page.screenshot({ path, fullPage: false });
	return path;
}
