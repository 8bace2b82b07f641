/**
 * Issue 12, goal 6: both sanitisers in real Chromium, the built-in one (`Element.setHTML`) and
 * DOMPurify (forced by taking `setHTML` away before the app loads). Every XSS corpus goes
 * through each, as HTML and as markdown, into the live page with our CSP bypassed, so a
 * handler that survived would run rather than be blocked: nothing runs, nothing leaves for
 * another host, no element or attribute outside the policy remains, and both keep the same
 * markup for the renderer's own output.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launch } from './harness.ts';
import { MARKDOWN_VECTORS, vectors } from './vectors.ts';
import {
	HTML_ELEMENTS,
	MATHML_ELEMENTS,
	MODEL_ATTRIBUTES
} from '../../src/lib/markdown/sanitize-policy.ts';

type Path = 'native' | 'fallback';
interface Run {
	page: Page;
	context: BrowserContext;
	/** Requests to any host but the app's. */
	foreign: string[];
	/** Requests for the DOMPurify chunk. */
	purify: string[];
}

const runs = new Map<Path, Promise<Run>>();
afterAll(async () => {
	for (const run of runs.values()) await (await run).context.close();
});

/** The built app on one path, with traps that record any dialog a payload would open. */
function open(path: Path): Promise<Run> {
	let run = runs.get(path);
	if (!run) {
		run = (async () => {
			const appUrl = inject('appUrl');
			const context = await (await launch()).newContext({ bypassCSP: true });
			const page = await context.newPage();
			const foreign: string[] = [];
			const purify: string[] = [];
			context.on('request', (r) => {
				const url = new URL(r.url());
				if (/^(https?|wss?):$/.test(url.protocol) && url.host !== new URL(appUrl).host)
					foreign.push(r.url());
				if (/sanitize-purify/.test(url.pathname)) purify.push(url.pathname);
			});
			await page.addInitScript(() => {
				const w = window as unknown as { __xss: string[] };
				w.__xss = [];
				for (const name of ['alert', 'confirm', 'prompt', 'print'] as const)
					(window as unknown as Record<string, unknown>)[name] = () => w.__xss.push(name);
			});
			if (path === 'fallback')
				await page.addInitScript(() => {
					delete (Element.prototype as { setHTML?: unknown }).setHTML;
				});
			await page.goto(appUrl);
			await page.locator('.app[data-ready="true"]').waitFor();
			return { page, context, foreign, purify };
		})();
		runs.set(path, run);
	}
	return run;
}

type Md = typeof import('../../src/lib/markdown/index.ts');
const OPTS = { loadImageLabel: 'Load image', copyLabel: 'Copy' };

/** Renders markdown texts through the app's renderer on `page`, one HTML string each. */
function renderAll(page: Page, texts: string[]): Promise<string[]> {
	return page.evaluate(
		async ({ texts, opts }) => {
			const md = await (
				window as unknown as { __switchboard: { markdown: () => Promise<Md> } }
			).__switchboard.markdown();
			await md.loadAllLanguages();
			await md.loadMath();
			return texts.map((t) => md.renderMarkdown(t, { ...opts, origin: location.origin }));
		},
		{ texts, opts: OPTS }
	);
}

describe.each<Path>(['native', 'fallback'])('the %s sanitiser', (path) => {
	it('runs on the path it is meant to, DOMPurify loaded only without setHTML', async () => {
		const { page, purify } = await open(path);
		// The renderer (and its sanitiser) loads when first needed: load it, then look.
		await page.evaluate(() =>
			(
				window as unknown as { __switchboard: { markdown: () => Promise<Md> } }
			).__switchboard.markdown()
		);
		const native = await page.evaluate(() => 'setHTML' in Element.prototype);
		expect(native).toBe(path === 'native');
		expect(purify.length > 0).toBe(path === 'fallback');
	});

	it('lets nothing of any XSS corpus run, fetch, or stay outside the policy', async () => {
		const run = await open(path);
		const payloads = [...vectors.map((v) => v.payload), ...MARKDOWN_VECTORS];
		const result = await run.page.evaluate(
			async ({ payloads, opts, html, mathml, model }) => {
				const md = await (
					window as unknown as { __switchboard: { markdown: () => Promise<Md> } }
				).__switchboard.markdown();
				await md.loadAllLanguages();
				await md.loadMath();
				const o = { ...opts, origin: location.origin };
				const root = document.createElement('div');
				document.body.append(root);
				for (const p of payloads) {
					// As the renderer's string ({@html}), as nodes, and as a markdown answer.
					const asHtml = document.createElement('div');
					asHtml.dataset.kind = 'model';
					asHtml.innerHTML = md.sanitize(p, o);
					const asNodes = document.createElement('div');
					asNodes.dataset.kind = 'model';
					asNodes.append(md.sanitizeFragment(p, o));
					const asMarkdown = document.createElement('div');
					asMarkdown.innerHTML = md.renderMarkdown(p, o);
					root.append(asHtml, asNodes, asMarkdown);
				}
				// Handlers that survived would fire now: hover and focus everything, let images settle.
				for (const el of root.querySelectorAll('*')) {
					el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
					if (el instanceof HTMLElement) el.focus();
				}
				await Promise.all(
					[...root.querySelectorAll('img')].map((i) => i.decode().catch(() => undefined))
				);
				await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
				const found: string[] = [];
				for (const box of root.children as HTMLCollectionOf<HTMLElement>)
					for (const el of box.querySelectorAll('*')) {
						const name = el.localName.toLowerCase();
						const ns = el.namespaceURI;
						const allowed =
							ns === 'http://www.w3.org/1999/xhtml'
								? html.includes(name)
								: ns === 'http://www.w3.org/1998/Math/MathML' && mathml.includes(name);
						if (!allowed) found.push(`element ${name} (${ns})`);
						const placeholder =
							el.matches('button.remote-image[data-remote-image]') &&
							el.textContent?.startsWith('Load image: ');
						for (const attr of el.attributes) {
							// eslint-disable-next-line no-control-regex -- browsers ignore these in URLs
							const v = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
							if (attr.name.startsWith('on')) found.push(`handler ${name} ${attr.name}`);
							if (
								/^(href|src|cite|action|formaction|xlink:href|data|poster|background|srcset)$/.test(
									attr.name
								) &&
								/^(javascript|vbscript|data):/.test(v) &&
								!/^data:image\/(png|gif|jpe?g|webp|avif);/.test(v)
							)
								found.push(`url ${name} ${attr.name}=${v.slice(0, 40)}`);
							if (attr.name.startsWith('data-own-')) found.push(`mark on ${name}`);
							// Model HTML keeps only the model attributes (and a link's target and rel).
							const linkTarget = name === 'a' && /^(target|rel)$/.test(attr.name);
							// DOMPurify empties `is` rather than removing it: serialising an element
							// without the attribute would write back the value it was created with.
							const noIs = attr.name === 'is' && attr.value === '';
							if (box.dataset.kind === 'model' && !placeholder && !linkTarget && !noIs)
								if (!model.includes(attr.name)) found.push(`attribute ${name} ${attr.name}`);
						}
					}
				root.remove();
				return { found, calls: (window as unknown as { __xss: string[] }).__xss };
			},
			{
				payloads,
				opts: OPTS,
				html: [...HTML_ELEMENTS],
				mathml: [...MATHML_ELEMENTS],
				model: [...MODEL_ATTRIBUTES]
			}
		);
		expect([...new Set(result.found)]).toEqual([]);
		expect(result.calls).toEqual([]);
		expect(run.foreign).toEqual([]);
	});

	it("keeps the renderer's own markup, table alignment among it, and strips model HTML posing as it", async () => {
		const { page } = await open(path);
		const [html = ''] = await renderAll(page, [
			[
				'| a | b |\n|:-|-:|\n| 1 | 2 |',
				'```ts\nconst a = 1;\n```',
				'<div class="code-block" data-copy-code="0" role="alert" id="composer-message">fake</div>',
				'![remote](https://attacker.example/a.png) ![own](/x.png)'
			].join('\n\n')
		]);
		const found = await page.evaluate((html) => {
			const doc = new DOMParser().parseFromString(html, 'text/html');
			const attr = (sel: string, name: string) => doc.querySelector(sel)?.getAttribute(name);
			return {
				th: attr('th', 'align'),
				td: attr('td:last-child', 'align'),
				frames: doc.querySelectorAll('div.code-block').length,
				copies: [...doc.querySelectorAll('[data-copy-code]')].map((b) => b.textContent),
				fake: [...doc.querySelectorAll('div')]
					.filter((d) => d.textContent === 'fake')
					.map((d) => d.getAttributeNames()),
				remote: attr('button.remote-image', 'data-remote-image'),
				own: attr('img', 'src'),
				marks: /data-own-/.test(html)
			};
		}, html);
		expect(found).toEqual({
			th: 'left',
			td: 'right',
			frames: 1,
			copies: ['Copy'],
			fake: [[]],
			remote: 'https://attacker.example/a.png',
			own: new URL('/x.png', inject('appUrl')).href,
			marks: false
		});
	});
});

it('both sanitisers keep the same markup for every CommonMark example', async () => {
	const examples = JSON.parse(
		readFileSync(
			new URL('../fixtures/corpora/commonmark-0.31.2-examples.json', import.meta.url),
			'utf8'
		)
	) as Array<{ example: number; markdown: string }>;
	const texts = examples.map((e) => e.markdown);
	const native = await renderAll((await open('native')).page, texts);
	const fallback = await renderAll((await open('fallback')).page, texts);
	const differ = examples
		.map((e, i) => ({ example: e.example, native: native[i], fallback: fallback[i] }))
		.filter((d) => d.native !== d.fallback);
	expect(differ).toEqual([]);
});
