/** Debian Chromium driven by playwright-core: one browser per test file, a fresh context per session. */
import { mkdirSync } from 'node:fs';
import { afterAll, inject } from 'vitest';
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

export function launch(): Promise<Browser> {
	browser ??= chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			'--disable-sync',
			'--disable-quic'
		]
	});
	return browser;
}

afterAll(async () => {
	if (browser) await (await browser).close();
	browser = undefined;
});

export async function openApp(
	opts: {
		locale?: string;
		colorScheme?: 'light' | 'dark';
		viewport?: { width: number; height: number };
		allowedHosts?: string[];
		path?: string;
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
	page.on('request', (r) => {
		const url = new URL(r.url());
		if ((url.protocol === 'http:' || url.protocol === 'https:') && !allowed.has(url.host))
			foreignRequests.push(r.url());
	});
	page.on('console', (m) => {
		if (m.type() === 'error') consoleErrors.push(m.text());
		if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
	});
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

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync('tests/.artifacts', { recursive: true });
	const path = `tests/.artifacts/${name}.png`;
	await page.screenshot({ path, fullPage: false });
	return path;
}
