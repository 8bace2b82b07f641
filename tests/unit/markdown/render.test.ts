import { describe, expect, it } from 'vitest';
import { Marked, type Token } from 'marked';
import { own } from '../../../src/lib/markdown/own.ts';
import { assemble, createEngine, renderMarkdown } from '../../../src/lib/markdown/render.ts';
import { StreamingRenderer } from '../../../src/lib/markdown/streaming.ts';
import { examples, identity, streamCounted } from './helpers.ts';

/** Resolves on the next onInvalidate, the signal that a grammar or KaTeX has arrived. */
function invalidated(render: (onInvalidate: () => void) => void): Promise<void> {
	return new Promise((resolve) => render(resolve));
}

const ENTITIES: Record<string, string> = {
	'38': '&amp;',
	'60': '&lt;',
	'62': '&gt;',
	'34': '&quot;'
};

/** Spec HTML and ours, compared for meaning: our code-block frame and spelling of entities aside. */
function comparable(html: string): string {
	return html
		.replace(
			/<div class="code-block"><div class="code-head">.*?<\/div>(<pre>[\s\S]*?<\/pre>)<\/div>/g,
			'$1'
		)
		.replace(/class="hljs /g, 'class="')
		.replace(/&#(38|60|62|34);/g, (_, n: string) => ENTITIES[n] ?? '')
		.replace(/\s*\/>/g, '>')
		.replace(/\s+<\/code>/g, '</code>')
		.replace(/\s+/g, ' ')
		.replace(/> </g, '><')
		.trim();
}

describe('CommonMark conformance', () => {
	it('renders every spec example that plain marked gets right just as right', () => {
		const plain = new Marked({ gfm: true });
		const passing = examples.filter(
			(e) =>
				// Images differ on purpose: remote ones are not fetched (the browser tests cover them).
				!e.markdown.includes('![') &&
				comparable(plain.parse(e.markdown, { async: false })) === comparable(e.html)
		);
		// marked passes most of the spec; our math, code frame and task lists must lose none of it.
		expect(passing.length).toBeGreaterThan(examples.length * 0.85);
		const broken = passing
			.filter(
				(e) => comparable(renderMarkdown(e.markdown, { sanitize: identity })) !== comparable(e.html)
			)
			.map((e) => e.example);
		expect(broken).toEqual([]);
	});

	it('covers headings, fences and lists among them', () => {
		const sections = new Set(
			examples
				.filter(
					(e) =>
						comparable(renderMarkdown(e.markdown, { sanitize: identity })) === comparable(e.html)
				)
				.map((e) => e.section)
		);
		for (const s of [
			'ATX headings',
			'Setext headings',
			'Fenced code blocks',
			'Lists',
			'List items'
		])
			expect(sections).toContain(s);
	});
});

// Order matters below: grammars and KaTeX load once per test file, so "before" tests come first.
describe('code blocks', () => {
	const ts = '```ts\nconst a = 1;\n```';

	it('frame a fence with its language and a copy button carrying the given label', () => {
		const html = renderMarkdown(ts, { sanitize: identity, copyLabel: 'Kopieren' });
		expect(html).toMatch(
			/^<div class="code-block"><div class="code-head"><span class="code-lang">ts<\/span><button type="button" class="copy-code" data-copy-code="[^"]*">Kopieren<\/button><\/div><pre><code class="hljs language-[a-z]+">/
		);
	});

	it('show plain escaped text until the grammar arrives, then ask to be rendered again', async () => {
		let before = '';
		await invalidated((onInvalidate) => {
			before = renderMarkdown(ts, { sanitize: identity, onInvalidate });
		});
		expect(before).toContain('const a = 1;');
		expect(before).not.toContain('hljs-keyword');
		expect(renderMarkdown(ts, { sanitize: identity })).toContain(
			'<span class="hljs-keyword">const</span>'
		);
	});

	it('never guess a language: an unknown one stays plain, escaped text', () => {
		const html = renderMarkdown('```klingon\nconst a = "<b>";\n```', { sanitize: identity });
		expect(html).not.toContain('hljs-');
		expect(html).not.toContain('<b>');
		expect(html).toContain('<span class="code-lang">klingon</span>');
	});

	it('highlight a streamed fence only once it is closed', () => {
		const r = new StreamingRenderer({ sanitize: identity });
		const open = r.update('```ts\nconst a = 1;\n');
		expect(open.map(assemble).join('')).not.toContain('hljs-keyword');
		const closed = r.finish('```ts\nconst a = 1;\n```\n');
		expect(closed.map(assemble).join('')).toContain('hljs-keyword');
	});
});

describe('math', () => {
	it('shows escaped TeX until KaTeX arrives, then asks to be rendered again', async () => {
		let before = '';
		await invalidated((onInvalidate) => {
			before = renderMarkdown('Area: $a<b$', { sanitize: identity, onInvalidate });
		});
		expect(before).toContain('<code class="math-pending">a&#60;b</code>');
		const after = renderMarkdown('Area: $a<b$', { sanitize: identity });
		expect(after).toContain('<math');
		expect(after).not.toContain('math-pending');
	});

	it('renders every delimiter as MathML, with no inline style', () => {
		for (const text of ['$x^2$', '\\(x^2\\)', '$$x^2$$', '$$\nx^2\n$$', '\\[\nx^2\n\\]']) {
			const html = renderMarkdown(text, { sanitize: identity });
			expect(html, text).toContain('<msup><mi>x</mi><mn>2</mn></msup>');
			expect(html, text).not.toContain('style=');
		}
	});

	it('leaves money alone', () => {
		const html = renderMarkdown('It costs $5 and $6, or $ 7 $.', { sanitize: identity });
		expect(html).toBe('<p>It costs $5 and $6, or $ 7 $.</p>\n');
	});

	it('turns no \\href or \\url into a link', () => {
		const html = renderMarkdown('$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(2)}$', {
			sanitize: identity
		});
		expect(html).toContain('<math');
		expect(html).not.toMatch(/href=|<a\b/);
	});
});

describe('hostile math shapes: streamed equals at once, and no update lexes its text twice', () => {
	const shapes: Record<string, string> = {
		'10,000 unclosed \\(': '\\('.repeat(10_000),
		'5,000 lines opening \\[': '\\[\n'.repeat(5_000),
		'10,000 dollar words': '$a '.repeat(10_000)
	};
	for (const [name, text] of Object.entries(shapes)) {
		// One open block each (see streamCounted); the time limit is room for marked, not a claim.
		it(name, { timeout: 20_000 }, () => {
			const { html, lexed } = streamCounted(text, { sanitize: identity });
			expect(html).toBe(renderMarkdown(text, { sanitize: identity }));
			expect(lexed).toBeLessThanOrEqual(3.5 * text.length);
		});
	}
});

describe("the renderer's own markup", () => {
	it('marks only the elements it emits, never model HTML dressed up like them', () => {
		const html = renderMarkdown(
			'<div class="code-block"><button class="copy-code" data-copy-code="0">Copy</button></div>\n\n```\nls\n```\n\n- [x] done\n',
			{ sanitize: (h) => h }
		);
		expect(html).toContain(
			'<div class="code-block"><button class="copy-code" data-copy-code="0">Copy</button></div>'
		);
		expect(html).toContain(`<div${own} class="code-block">`);
		expect(html).toContain(`<button${own} type="button" class="copy-code" data-copy-code="0">`);
		expect(html).toContain(`<span${own} class="task" data-checked="true">`);
	});

	it("gives each code block's Copy button the token's text by index, not the HTML's", () => {
		const engine = createEngine({ sanitize: identity });
		const [list] = engine.lex('- ```sh\n  echo one\n  ```\n- ```\n  two <b>&amp;\n  ```\n');
		const { html, code } = engine.block(list as Token);
		expect(code).toEqual(['echo one', 'two <b>&amp;']);
		expect(html).toContain('data-copy-code="0"');
		expect(html).toContain('data-copy-code="1"');
	});
});

describe('a long code block in parts', () => {
	const code = Array.from({ length: 400 }, (_, i) => `const v${i} = "<${i}>";`).join('\n');
	const text = `\`\`\`ts\n${code}\n\`\`\`\n`;

	it('comes as a shell and highlighted chunks, Copy taking the whole text from the token', () => {
		const engine = createEngine({ sanitize: identity });
		const [token] = engine.lex(text);
		const block = engine.block(token as Token);
		expect(block.parts?.length).toBeGreaterThan(2);
		expect(block.code).toEqual([code]);
		expect(block.html).toContain('data-copy-code="0"');
		expect(assemble(block)).toBe(renderMarkdown(text, { sanitize: identity }));
		expect(assemble(block)).toContain('<span class="hljs-keyword">const</span> v399');
	});

	it('streamed line by line, highlights each chunk once and keeps the finished ones', () => {
		const stats = { lexed: 0, highlighted: 0 };
		const r = new StreamingRenderer({ sanitize: identity, stats });
		const seen = new Map<string, string>();
		for (let at = 10; at < text.length; at += 10)
			for (const b of r.update(text.slice(0, at)))
				for (const p of b.parts ?? []) {
					expect(seen.get(p.key) ?? p.html).toBe(p.html);
					seen.set(p.key, p.html);
				}
		expect(r.finish(text).map(assemble).join('')).toBe(
			renderMarkdown(text, { sanitize: identity })
		);
		expect(stats.highlighted).toBeLessThanOrEqual(2 * code.length);
		expect(stats.lexed).toBeLessThanOrEqual(3 * text.length);
	});
});
