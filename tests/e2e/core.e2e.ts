/**
 * Issue 2's journeys: from an endpoint to a streamed, saved answer, as a new user meets them.
 * Each test drives the built app (served under /playground/) in Chromium against the test gateway.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	answerSaved,
	column,
	connect,
	expectClean,
	lastAnswer,
	markdownModel,
	modelField,
	openEndpoint,
	saved,
	send,
	settled,
	useJourney
} from './journey.ts';
import type { Gateway } from '../gateway/server.ts';

const journey = useJourney();
const open = journey.open;
let gateway: Gateway;
beforeAll(() => {
	gateway = journey.gateway();
});

describe('1. endpoint', () => {
	it('resolves pasted base URLs, hides the key, suggests models and sends the key as chosen', async () => {
		const s = await open();
		const c = await openEndpoint(column(s.page, 1));
		const baseUrl = c.getByRole('textbox', { name: 'Base URL', exact: true });
		for (const [typed, resolved] of [
			['https://host.example/v1', 'https://host.example/v1/chat/completions'],
			['https://host.example/v1/chat/completions', 'https://host.example/v1/chat/completions'],
			['https://host.example', 'https://host.example/v1/chat/completions']
		] as const) {
			await baseUrl.fill(typed);
			await expect
				.poll(() => c.locator('[data-part="resolved-url"]').innerText())
				.toContain(resolved);
		}
		const key = c.getByLabel('API key', { exact: true });
		expect(await key.getAttribute('type')).toBe('password');
		await c.getByRole('button', { name: 'Show key', exact: true }).click();
		expect(await key.getAttribute('type')).toBe('text');

		await connect(s.page, 1, gateway.url, 'echo', 'sk-test-123');
		// Suggestions come from GET {base}/models.
		await modelField(c).fill('reas');
		await expect
			.poll(() =>
				c.getByRole('listbox', { name: 'Model suggestions' }).getByRole('option').allInnerTexts()
			)
			.toContain('reasoning');
		await modelField(c).fill('echo');
		await s.page.keyboard.press('Escape');

		gateway.clear();
		await send(s.page, 'hello');
		await settled(s.page, 1);
		const [bearer] = gateway.chatRequests();
		expect(bearer?.headers.authorization).toBe('Bearer sk-test-123');

		await (await openEndpoint(c)).getByLabel('Send key as', { exact: true }).selectOption('raw');
		gateway.clear();
		await send(s.page, 'again');
		await settled(s.page, 1);
		expect(gateway.chatRequests()[0]?.headers.authorization).toBe('sk-test-123');

		await openEndpoint(c);
		await c.getByLabel('Send key as', { exact: true }).selectOption('header');
		await c.getByLabel('Key header name', { exact: true }).fill('x-api-key');
		gateway.clear();
		await send(s.page, 'third');
		await settled(s.page, 1);
		const req = gateway.chatRequests()[0];
		expect(req?.headers['x-api-key']).toBe('sk-test-123');
		expect(req?.headers.authorization).toBeUndefined();
		expectClean(s);
	});

	it('keeps chatting when the model list cannot be fetched', async () => {
		const s = await open();
		await connect(s.page, 1, `${gateway.url}/nowhere`, 'echo');
		await expect
			.poll(() => column(s.page, 1).locator('[data-part="models-error"]').count())
			.toBe(1);
	});
});

describe('2. presets', () => {
	it('starts on Demo (offline), saves a preset and picks it again after a reload', async () => {
		const s = await open();
		const c = await openEndpoint(column(s.page, 1));
		const preset = c.getByRole('combobox', { name: 'Preset', exact: true });
		expect(await preset.locator('option:checked').innerText()).toBe('Demo (offline)');
		await send(s.page, 'Hi demo');
		const answer = await settled(s.page, 1);
		expect(await answer.locator('[data-part="content"] table').count()).toBeGreaterThan(0);
		expect(await answer.locator('[data-part="reasoning"]').count()).toBe(1);
		expect(await answer.locator('pre code').count()).toBeGreaterThan(0);

		await connect(s.page, 1, gateway.url, 'slow', 'sk-preset');
		await c.getByRole('textbox', { name: 'Preset name', exact: true }).fill('Local gateway');
		await c.getByRole('button', { name: 'Save preset', exact: true }).click();
		// The confirmation appears once the preset is in IndexedDB.
		await c.getByRole('status').filter({ hasText: 'Saved “Local gateway”.' }).waitFor();
		await s.page.reload();
		await s.page.getByRole('button', { name: 'New chat', exact: true }).click();
		const c2 = await openEndpoint(column(s.page, 1));
		await c2
			.getByRole('combobox', { name: 'Preset', exact: true })
			.selectOption({ label: 'Demo (offline)' });
		await c2
			.getByRole('combobox', { name: 'Preset', exact: true })
			.selectOption({ label: 'Local gateway' });
		expect(await c2.getByRole('textbox', { name: 'Base URL', exact: true }).inputValue()).toBe(
			gateway.url
		);
		expect(await modelField(c2).inputValue()).toBe('slow');
		expect(await c2.getByLabel('API key', { exact: true }).inputValue()).toBe('sk-preset');
	});
});

describe('3. request', () => {
	it('sends the system prompt, the history and only the parameters that are set', async () => {
		const s = await open();
		await connect(s.page, 1, gateway.url, 'echo');
		const c = column(s.page, 1);
		await c.getByRole('textbox', { name: 'System prompt', exact: true }).fill('Be brief.');
		await c.getByRole('button', { name: 'Parameters', exact: true }).click();
		await c.getByRole('textbox', { name: 'Temperature', exact: true }).fill('0.3');
		await c.getByRole('textbox', { name: 'Max tokens', exact: true }).fill('64');
		await c.getByRole('checkbox', { name: 'Stream', exact: true }).check();
		await c.getByRole('checkbox', { name: 'Include usage', exact: true }).check();
		gateway.clear();
		await send(s.page, 'first');
		await settled(s.page, 1);
		await send(s.page, 'second');
		await settled(s.page, 1);
		const bodies = gateway.chatRequests().map((r) => r.body as Record<string, unknown>);
		expect(bodies).toHaveLength(2);
		const body = bodies[1] ?? {};
		expect(body.temperature).toBe(0.3);
		expect(body.max_tokens).toBe(64);
		expect(body.stream).toBe(true);
		expect(body.stream_options).toEqual({ include_usage: true });
		expect(body).not.toHaveProperty('top_p');
		expect(body).not.toHaveProperty('presence_penalty');
		const messages = body.messages as Array<{ role: string; content: unknown }>;
		expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
		expect(messages[0]?.content).toBe('Be brief.');
		expect(messages[2]?.content).toContain('You said: first');
	});

	it('refuses to send an out-of-range value, says why next to the control and keeps the text', async () => {
		const s = await open();
		await connect(s.page, 1, gateway.url, 'echo');
		const c = column(s.page, 1);
		await c.getByRole('button', { name: 'Parameters', exact: true }).click();
		await c.getByRole('textbox', { name: 'Top P', exact: true }).fill('3');
		gateway.clear();
		await s.page.getByRole('textbox', { name: 'Message', exact: true }).fill('keep me');
		await s.page.getByRole('button', { name: 'Send', exact: true }).click();
		await expect
			.poll(() => c.locator('[data-param="top_p"] [data-part="field-error"]').innerText())
			.toMatch(/0.*1/);
		expect(gateway.chatRequests()).toHaveLength(0);
		expect(await s.page.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toBe(
			'keep me'
		);
	});
});

describe('4. streaming', () => {
	it('shows reasoning and content as they arrive, reads usage, accepts a stream without [DONE]', async () => {
		const s = await open();
		await connect(s.page, 1, gateway.url, 'reasoning');
		await send(s.page, 'think');
		const answer = await settled(s.page, 1);
		expect(await answer.locator('[data-part="reasoning"]').innerText()).not.toBe('');
		expect(await answer.locator('[data-part="content"]').innerText()).not.toBe('');

		await connect(s.page, 1, gateway.url, 'no-done');
		await send(s.page, 'no done');
		const a2 = await settled(s.page, 1);
		expect(await a2.locator('[data-part="error"]').count()).toBe(0);
		expect(await a2.locator('[data-part="content"]').innerText()).not.toBe('');

		await connect(s.page, 1, gateway.url, 'usage-last');
		await send(s.page, 'usage');
		const a3 = await settled(s.page, 1);
		expect(
			Number(await a3.locator('[data-part="metrics"]').getAttribute('data-completion-tokens'))
		).toBeGreaterThan(0);
	});

	it('stops with the Stop button and with Esc, keeping what arrived', async () => {
		const s = await open();
		await connect(s.page, 1, gateway.url, 'slow');
		await send(s.page, 'a long answer please');
		await waitForText(s.page);
		await s.page.getByRole('button', { name: 'Stop', exact: true }).click();
		const a1 = await settled(s.page, 1);
		expect(await a1.locator('[data-part="content"]').innerText()).not.toBe('');

		await send(s.page, 'another long one');
		await waitForText(s.page);
		await s.page.keyboard.press('Escape');
		const a2 = await settled(s.page, 1);
		expect(await a2.locator('[data-part="content"]').innerText()).not.toBe('');
		expect(await s.page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
	});
});

async function waitForText(page: Page) {
	await expect
		.poll(
			async () => (await lastAnswer(page, 1).locator('[data-part="content"]').innerText()).length
		)
		.toBeGreaterThan(5);
}

describe('5. errors', () => {
	const cases = [
		['error-401-json', /401/, 'Invalid API key'],
		['error-400-code', /400/, 'model not found'],
		['error-500-text', /500/, 'upstream exploded'],
		['error-502-html', /502/, 'Bad Gateway']
	] as const;
	for (const [model, status, words] of cases) {
		it(`${model}: shows the status and the gateway's words, keeps the typed message`, async () => {
			const s = await open();
			await connect(s.page, 1, gateway.url, model);
			await send(s.page, `trigger ${model}`);
			const answer = await settled(s.page, 1);
			const error = answer.locator('[data-part="error"][role="alert"]');
			const text = await error.innerText();
			expect(text).toMatch(status);
			await error
				.locator('summary')
				.click()
				.catch(() => undefined);
			expect(await error.innerText()).toContain(words);
			// An HTML error page is text, never markup.
			expect(await answer.locator('[data-part="error"] script').count()).toBe(0);
			expect(await s.page.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toBe(
				`trigger ${model}`
			);
		});
	}

	it('says CORS is the likely cause when the gateway refuses cross-origin requests', async () => {
		const s = await open();
		await connect(s.page, 1, `${gateway.url}/no-cors/v1`, 'echo');
		await send(s.page, 'cors please');
		const answer = await settled(s.page, 1);
		expect(await answer.locator('[data-part="error"]').innerText()).toMatch(/CORS/);
	});
});

describe('6. rendering', () => {
	it('highlights code, sanitises, and offers copy buttons', async () => {
		const s = await open();
		await connect(
			s.page,
			1,
			gateway.url,
			markdownModel('```js\nconst a = 1;\n```\n\n<img src=x onerror=alert(1)>\n\n**bold**')
		);
		await send(s.page, 'md');
		const answer = await settled(s.page, 1);
		// Grammars load on demand: the block is highlighted once its language has arrived.
		await expect.poll(() => answer.locator('pre code .hljs-keyword').count()).toBeGreaterThan(0);
		expect(await answer.locator('[onerror]').count()).toBe(0);
		expect(await answer.locator('strong').innerText()).toBe('bold');
		expect(await answer.getByRole('button', { name: 'Copy', exact: true }).count()).toBe(1);
		expect(await answer.getByRole('button', { name: 'Copy answer', exact: true }).count()).toBe(1);
	});

	it('draws a long code block in parts that select, copy and scroll as one', async () => {
		const s = await open();
		const lines = Array.from({ length: 400 }, (_, i) =>
			i % 50 === 7 ? `const wide${i} = "${'x'.repeat(300)}";` : `let v${i} = ${i};`
		);
		const code = lines.join('\n');
		const text = `\`\`\`js\n${code}\n\`\`\``;
		await connect(s.page, 1, gateway.url, `chunked:700:${Buffer.from(text).toString('base64url')}`);
		await send(s.page, 'long code');
		const answer = await settled(s.page, 1);
		await expect.poll(() => answer.locator('pre code .hljs-keyword').count()).toBeGreaterThan(0);
		// A reader selecting the block copies its lines, each once, however many parts draw it.
		const selected = await answer.locator('pre code').evaluate((el) => {
			const range = document.createRange();
			range.selectNodeContents(el);
			getSelection()?.removeAllRanges();
			getSelection()?.addRange(range);
			return getSelection()?.toString();
		});
		expect(selected?.trimEnd()).toBe(code);
		// The wide lines are there to scroll to, not cut off at the column's edge.
		const pre = answer.locator('pre');
		await pre.evaluate((el) => (el.scrollTop = el.scrollHeight));
		const [scrollWidth, clientWidth] = await pre.evaluate((el) => [el.scrollWidth, el.clientWidth]);
		expect(scrollWidth).toBeGreaterThan(clientWidth + 1000);
	});

	it('streams a long list and a table item by item: each shown once, in order, aligned', async () => {
		const s = await open();
		const items = Array.from({ length: 150 }, (_, i) => `item ${i} with *emphasis*`);
		const rows = Array.from({ length: 60 }, (_, i) => `| ${i} | mid ${i} | ${i * 7} |`);
		const table = `| name | middle | amount |\n|:--|:-:|--:|\n${rows.join('\n')}`;
		// A loose numbered list of links too: the sanitiser dresses links, item by item as at once.
		const steps = Array.from(
			{ length: 30 },
			(_, i) => `${i + 3}. [step ${i}](https://example.com/${i})`
		);
		const text = `${items.map((t) => `- ${t}`).join('\n')}\n\n${table}\n\n${steps.join('\n\n')}\n\nDone.`;
		await connect(s.page, 1, gateway.url, `chunked:16:${Buffer.from(text).toString('base64url')}`);
		await send(s.page, 'list');
		const answer = lastAnswer(s.page, 1);
		// The first item as drawn once the list is well under way: a finished item is never
		// drawn again. (Its first few items may still be drawn as one block, before parts pay.)
		const drawn = answer.locator('[data-part="content"] ul > li');
		await drawn.nth(20).waitFor();
		await drawn.first().evaluate((li) => Object.assign(li, { seen: true }));
		await settled(s.page, 1);
		const content = answer.locator('[data-part="content"]');
		expect(await content.locator('ul').count()).toBe(1);
		expect(await content.locator('ul > li').allInnerTexts()).toEqual(
			items.map((t) => t.replace(/\*/g, ''))
		);
		expect(
			await content
				.locator('ul > li')
				.first()
				.evaluate((li) => 'seen' in li)
		).toBe(true);
		expect(await content.locator('tbody > tr').count()).toBe(60);
		const aligned = await content
			.locator('tbody > tr')
			.nth(42)
			.locator('td')
			.evaluateAll((tds) =>
				tds.map((td) => getComputedStyle(td).textAlign.replace('-webkit-', ''))
			);
		expect(aligned).toEqual(['left', 'center', 'right']);
		// Parts are a streaming matter only: the final markup is the answer rendered at once.
		const [streamed, once] = await content.evaluate(async (el, t) => {
			const w = window as unknown as {
				__switchboard: {
					markdown: () => Promise<{ renderMarkdown: (t: string, o: object) => string }>;
				};
			};
			const md = await w.__switchboard.markdown();
			const whole = document.createElement('div');
			whole.innerHTML = md.renderMarkdown(t, { origin: location.origin });
			const shown = el.cloneNode(true) as Element;
			const walker = document.createTreeWalker(shown, NodeFilter.SHOW_COMMENT);
			const comments: Node[] = [];
			for (let n = walker.nextNode(); n; n = walker.nextNode()) comments.push(n);
			for (const c of comments) c.parentNode?.removeChild(c);
			const markup = (root: Element) =>
				[...root.querySelectorAll(':scope ul, :scope ol, :scope table')].map((e) => e.outerHTML);
			return [markup(shown), markup(whole)];
		}, text);
		expect(streamed).toEqual(once);
	});

	it('parses each block of an answer once: the view takes the nodes the sanitiser made', async () => {
		const s = await open();
		const text = Array.from(
			{ length: 40 },
			(_, i) => `Paragraph ${i} with [a link](https://example.com/${i}) and **bold** text.`
		).join('\n\n');
		await connect(s.page, 1, gateway.url, markdownModel(text));
		// Every HTML string the page parses through innerHTML (Svelte's {@html} among them).
		await s.page.evaluate(() => {
			const w = window as unknown as { __parsed: number };
			w.__parsed = 0;
			const d = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
			Object.defineProperty(Element.prototype, 'innerHTML', {
				...d,
				set(this: Element, v: string) {
					w.__parsed += String(v).length;
					d?.set?.call(this, v);
				}
			});
		});
		await send(s.page, 'paragraphs');
		const answer = await settled(s.page, 1);
		await expect.poll(() => answer.locator('[data-part="content"] p').count()).toBe(40);
		const html = await answer.locator('[data-part="content"]').innerHTML();
		const parsed = await s.page.evaluate(
			() => (window as unknown as { __parsed: number }).__parsed
		);
		expect(parsed).toBeLessThan(html.length / 4);
	});
});

describe('7. metrics', () => {
	it('shows time to first token, total time and token counts on every answer', async () => {
		const s = await open();
		// `slow` streams word by word: a generation time over which a rate means something.
		await connect(s.page, 1, gateway.url, 'slow');
		const c = column(s.page, 1);
		await c.getByRole('button', { name: 'Parameters', exact: true }).click();
		await c.getByRole('checkbox', { name: 'Stream', exact: true }).check();
		await c.getByRole('checkbox', { name: 'Include usage', exact: true }).check();
		await send(s.page, 'count me');
		const metrics = (await settled(s.page, 1)).locator('[data-part="metrics"]');
		expect(Number(await metrics.getAttribute('data-ttft-ms'))).toBeGreaterThanOrEqual(0);
		expect(Number(await metrics.getAttribute('data-total-ms'))).toBeGreaterThanOrEqual(
			Number(await metrics.getAttribute('data-ttft-ms'))
		);
		expect(Number(await metrics.getAttribute('data-prompt-tokens'))).toBeGreaterThan(0);
		expect(Number(await metrics.getAttribute('data-completion-tokens'))).toBeGreaterThan(0);
		const rate = Number(await metrics.getAttribute('data-tokens-per-second'));
		expect(rate).toBeGreaterThan(0);
		expect(rate).toBeLessThan(1000);
		await metrics.scrollIntoViewIfNeeded();
		expect(await metrics.innerText()).toContain(`${rate.toFixed(1)} tok/s`);

		// An answer that arrives all at once (not streamed) has no meaningful rate: none is
		// shown or claimed.
		await c.getByRole('checkbox', { name: 'Stream', exact: true }).uncheck();
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'burst');
		const burst = (await settled(s.page, 1)).locator('[data-part="metrics"]');
		expect(await burst.getAttribute('data-tokens-per-second')).toBeNull();
		expect(await burst.innerText()).not.toMatch(/tok\/s/);
	});
});

describe('8. history', () => {
	it('survives a reload, renames, deletes with undo and starts new chats', async () => {
		const s = await open();
		await connect(s.page, 1, gateway.url, 'echo');
		await send(s.page, 'Remember this conversation');
		await settled(s.page, 1);
		// What settled is on disk once the app says every write has finished.
		await saved(s.page);
		await s.page.reload();
		const nav = s.page.getByRole('navigation', { name: 'History' });
		await expect
			.poll(() => nav.getByRole('link').first().innerText())
			.toBe('Remember this conversation');
		await expect
			.poll(() => column(s.page, 1).locator('[data-message-role="assistant"]').count())
			.toBe(1);

		await s.page.getByRole('button', { name: 'New chat', exact: true }).click();
		expect(await column(s.page, 1).locator('[data-message-role]').count()).toBe(0);
		await send(s.page, 'Second one');
		await settled(s.page, 1);
		await expect
			.poll(() => nav.getByRole('link').allInnerTexts())
			.toEqual(['Second one', 'Remember this conversation']);

		await nav.getByRole('button', { name: 'Rename “Second one”' }).click();
		await nav.getByRole('textbox', { name: 'New title' }).fill('Renamed');
		await nav.getByRole('textbox', { name: 'New title' }).press('Enter');
		await expect.poll(() => nav.getByRole('link').first().innerText()).toBe('Renamed');

		await nav.getByRole('button', { name: 'Delete “Renamed”' }).click();
		await expect
			.poll(() => nav.getByRole('link').allInnerTexts())
			.toEqual(['Remember this conversation']);
		await s.page.getByRole('button', { name: 'Undo' }).click();
		await expect
			.poll(() => nav.getByRole('link').allInnerTexts())
			.toEqual(['Renamed', 'Remember this conversation']);
		await nav.getByRole('link', { name: 'Remember this conversation' }).click();
		await expect
			.poll(() => column(s.page, 1).locator('[data-message-role="user"]').innerText())
			.toContain('Remember this');
	});

	it('keeps a partial answer through a reload mid-stream and marks it interrupted', async () => {
		const s = await open();
		await connect(s.page, 1, gateway.url, 'slow');
		await send(s.page, 'stream then reload');
		await waitForText(s.page);
		// Throttled writes keep a streaming answer on disk: wait for one holding text.
		await answerSaved(s.page);
		const before = await lastAnswer(s.page, 1).locator('[data-part="content"]').innerText();
		await s.page.reload();
		const answer = column(s.page, 1).locator('[data-message-role="assistant"]');
		await expect.poll(() => answer.getAttribute('aria-busy')).toBe('false');
		expect(await answer.locator('[data-part="interrupted"]').count()).toBe(1);
		const after = await answer.locator('[data-part="content"]').innerText();
		expect(after.length).toBeGreaterThan(0);
		expect(before.startsWith(after.slice(0, Math.min(after.length, before.length)))).toBe(true);
	});
});

describe('9. languages', () => {
	it('follows the browser language on first start and switches', async () => {
		const s = await open({ locale: 'zh-CN' });
		expect(await s.page.getByRole('button', { name: '发送', exact: true }).count()).toBe(1);
		await s.page.getByRole('button', { name: '设置', exact: true }).click();
		await s.page.getByLabel('语言').selectOption('en');
		expect(await s.page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(1);
	});
});

describe('10. static hosting', () => {
	it('runs from a sub-path with no request to other hosts and no CSP violation', async () => {
		const s = await open();
		expect(new URL(s.page.url()).pathname.startsWith('/playground/')).toBe(true);
		await send(s.page, 'offline please');
		await settled(s.page, 1);
		expectClean(s);
	});
});
