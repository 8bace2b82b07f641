import { describe, expect, it } from 'vitest';
import { assemble, StreamingRenderer, type Block } from '../../../src/lib/markdown/streaming.ts';
import type { Part } from '../../../src/lib/markdown/code.ts';
import { createEngine, renderBlocks, renderMarkdown } from '../../../src/lib/markdown/render.ts';
import { corpora, examples, identity, streamCounted } from './helpers.ts';

const opts = { sanitize: identity };

/** A small seeded PRNG (mulberry32): every run chunks the same way. */
function prng(seed: number) {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function stream(text: string, sizes: () => number) {
	const r = new StreamingRenderer(opts);
	const finished = new Map<string, string>();
	let changed = 0;
	let last = '';
	for (let at = 0; at < text.length;) {
		at = Math.min(text.length, at + sizes());
		const before = r.resets;
		const blocks = r.update(text.slice(0, at));
		if (r.resets !== before) finished.clear();
		// A key names one html: a block's (its shell's, with parts) and each part's.
		for (const { key, html } of blocks.flatMap((b) => [b, ...(b.parts ?? [])])) {
			const old = finished.get(key);
			if (old !== undefined && old !== html) changed++;
			finished.set(key, html);
		}
		last = blocks.map(assemble).join('');
	}
	return {
		html: r.finish(text).map(assemble).join(''),
		beforeFinish: last,
		changed
	};
}

describe('streaming markdown equals one-shot rendering', () => {
	for (const seed of [1, 2, 3]) {
		// Room for a busy machine: the limit is no claim about speed.
		it(`on every CommonMark example, random chunks (seed ${seed})`, { timeout: 30_000 }, () => {
			const random = prng(seed);
			let changed = 0;
			for (const ex of examples) {
				const once = renderMarkdown(ex.markdown, opts);
				const streamed = stream(ex.markdown, () => 1 + Math.floor(random() * 12));
				expect(streamed.html, `example ${ex.example}`).toBe(once);
				// The live view before the safety net already equals it.
				expect(streamed.beforeFinish, `example ${ex.example} before finish`).toBe(once);
				changed += streamed.changed;
			}
			expect(changed).toBe(0);
		});
	}

	it('on every CommonMark example, one character at a time', { timeout: 30_000 }, () => {
		for (const ex of examples) {
			expect(stream(ex.markdown, () => 1).html, `example ${ex.example}`).toBe(
				renderMarkdown(ex.markdown, opts)
			);
		}
	});
});

describe('hostile shapes: streamed equals at once, and no update lexes its text twice', () => {
	const shapes: Record<string, string> = {
		'10,000 list items': '- a\n'.repeat(10_000),
		'5,000 nested quotes': `${'>'.repeat(5_000)} deep`,
		'10,000 emphasis markers': `${'*'.repeat(10_000)}a${'*'.repeat(10_000)}`,
		'unclosed fence of 5,000 lines': `\`\`\`ts\n${'let x = 1;\n'.repeat(5_000)}`
	};
	for (const [name, text] of Object.entries(shapes)) {
		// Each shape is one open block, lexed again by every update by design; the count says the
		// renderer adds no lexing of its own. marked's own cost per lex (quadratic on emphasis
		// runs) is what the time limit leaves room for.
		it(name, { timeout: 20_000 }, () => {
			const { html, lexed } = streamCounted(text, opts);
			expect(html).toBe(renderMarkdown(text, opts));
			expect(lexed).toBeLessThanOrEqual(3.5 * text.length);
		});
	}

	it('lexes a long answer a bounded number of times per character: only the open tail again', () => {
		const lexedPerChar = (paragraphs: number) => {
			const text = Array.from(
				{ length: paragraphs },
				(_, i) => `Paragraph ${String(i).padStart(4, '0')} says something *short*.\n\n`
			).join('');
			const stats = { lexed: 0 };
			const r = new StreamingRenderer({ ...opts, stats });
			for (let at = 8; at < text.length; at += 8) r.update(text.slice(0, at));
			const html = r.finish(text).map(assemble).join('');
			expect(html).toBe(renderMarkdown(text, opts));
			return stats.lexed / text.length;
		};
		const short = lexedPerChar(200);
		const long = lexedPerChar(800);
		// Lexing everything again on every update would make this grow with the text (4× here).
		expect(long).toBeLessThanOrEqual(short * 1.05);
		expect(long).toBeLessThan(20);
	});
});

describe('streaming details', () => {
	it('keeps finished blocks as the same strings, so their DOM is never touched', () => {
		const r = new StreamingRenderer(opts);
		const first = r.update('# Title\n\nFirst paragraph.\n\nSecond');
		const second = r.update('# Title\n\nFirst paragraph.\n\nSecond paragraph grows');
		expect(second[0]).toBe(first[0]);
		expect(second[1]).toBe(first[1]);
		expect(second.at(-1)?.html).toContain('Second paragraph grows');
	});

	it('spreads a burst over several updates with a budget, and still ends equal', () => {
		const text = examples.map((e) => e.markdown).join('\n\n');
		const r = new StreamingRenderer(opts);
		let rounds = 0;
		let blocks = r.update(text, 2000);
		while (r.behind) {
			rounds++;
			blocks = r.update(text, 2000);
		}
		expect(rounds).toBeGreaterThan(3);
		expect(blocks.map(assemble).join('')).toBe(renderMarkdown(text, opts));
	});

	it('treats CRLF like LF', () => {
		const text = '# A\r\n\r\n- x\r\n- y\r\n\r\nend\r\n';
		const r = new StreamingRenderer(opts);
		for (let i = 1; i <= text.length; i++) r.update(text.slice(0, i));
		expect(r.finish(text).map(assemble).join('')).toBe(
			renderMarkdown(text.replace(/\r\n/g, '\n'), opts)
		);
	});

	it('starts over when the text is not a continuation (an edit or a regenerate)', () => {
		const r = new StreamingRenderer(opts);
		r.update('Old answer.\n\nMore old.\n\n');
		const blocks = r.update('New answer.');
		expect(blocks.map(assemble).join('')).toBe('<p>New answer.</p>\n');
	});

	it('leaves an open fence unhighlighted and renders code blocks with a copy button', () => {
		const html = renderMarkdown('```ts\nconst a = 1;\n```', { ...opts, copyLabel: 'Copy' });
		expect(html).toContain('data-copy-code');
		expect(html).toContain('<span class="code-lang">ts</span>');
	});

	it('hands images to the sanitiser as plain <img> (its hook decides what may load)', () => {
		const html = renderMarkdown('![x](https://evil.example/a.png)', opts);
		expect(html).toBe('<p><img src="https://evil.example/a.png" alt="x"></p>\n');
	});

	it('never lets an open display-math block reach back into finished blocks', () => {
		// A blank line ends a block, so `$$` cannot span one: streamed and one-shot agree.
		const text = '$$\na\n\nb\n$$\n\nend';
		const r = new StreamingRenderer(opts);
		for (let i = 1; i <= text.length; i++) r.update(text.slice(0, i));
		expect(r.finish(text).map(assemble).join('')).toBe(renderMarkdown(text, opts));
	});

	it('keeps the shown text and unchanged keys through a restart', async () => {
		const text = `${'Paragraph.\n\n'.repeat(50)}\`\`\`ts\nlet a;\n\`\`\`\n\nend`;
		let r = new StreamingRenderer(opts);
		await new Promise<void>((resolve) => {
			r = new StreamingRenderer({ ...opts, onInvalidate: resolve });
			r.update(text);
		});
		let before = r.update(text, 100);
		for (let i = 0; r.behind && i < 100; i++) before = r.update(text, 100);
		expect(r.behind).toBe(false);
		expect(before.map(assemble).join('')).toContain('hljs-keyword');
		const again = new StreamingRenderer(opts).update(text);
		expect(before.map(assemble).join('')).toBe(again.map(assemble).join(''));
	});

	it('renders again after a grammar arrives a window per update, showing the old blocks meanwhile', async () => {
		const text = `\`\`\`rust\nlet a = 1;\n\`\`\`\n\n${'A paragraph of prose.\n\n'.repeat(400)}end`;
		const stats = { lexed: 0 };
		let r = new StreamingRenderer(opts);
		let shown: Block[] = [];
		await new Promise<void>((resolve) => {
			r = new StreamingRenderer({ ...opts, stats, onInvalidate: resolve });
			shown = r.update(text);
		});
		const plain = shown.map(assemble).join('');
		expect(plain).not.toContain('hljs-keyword');
		// The first update after the grammar: a window of text lexed, the whole answer still shown.
		stats.lexed = 0;
		const first = r.update(text, 256);
		expect(stats.lexed).toBeLessThanOrEqual(256);
		expect(r.behind).toBe(true);
		expect(first.map(assemble).join('')).toContain('hljs-keyword');
		expect(first.length).toBe(shown.length);
		expect(first.at(-1)?.key).toBe(shown.at(-1)?.key);
		let updates = 1;
		let blocks = first;
		while (r.behind && updates < 1000) {
			blocks = r.update(text, 256);
			updates++;
		}
		expect(updates).toBeGreaterThan(10);
		expect(blocks.map(assemble).join('')).toBe(
			new StreamingRenderer(opts).update(text).map(assemble).join('')
		);
	});
});

describe('a link definition counts only once its line has ended', () => {
	/** The text up to its last line end: what a definition still being typed cannot change. */
	const endedLines = (text: string) => text.slice(0, text.lastIndexOf('\n') + 1);

	/**
	 * Streams `text` in random chunks. At every step the finished blocks must be exactly what the
	 * text up to its last line end renders (`strict`), or, cheaper for long documents, hold no
	 * link the same block of the final text lacks. The end must equal a one-shot render.
	 */
	function streamChecked(text: string, random: () => number, maxChunk: number, strict: boolean) {
		const final = renderBlocks(createEngine(opts), text);
		const r = new StreamingRenderer(opts);
		const checked = new Set<string>();
		let last = '';
		for (let at = 0; at < text.length;) {
			at = Math.min(text.length, at + 1 + Math.floor(random() * maxChunk));
			const shown = text.slice(0, at);
			const blocks = r.update(shown).slice(0, r.finished);
			// Finished blocks change only when more finish or all start over: check those steps.
			const keys = blocks.map((b) => b.key).join();
			if (keys === last) continue;
			last = keys;
			if (strict) {
				const ended = renderBlocks(createEngine(opts), endedLines(shown));
				expect(blocks.map(assemble), JSON.stringify(shown)).toEqual(ended.slice(0, blocks.length));
				continue;
			}
			blocks.forEach((b, i) => {
				if (checked.has(b.key)) return;
				checked.add(b.key);
				for (const link of assemble(b).match(/<a [^>]*>/g) ?? [])
					expect(final[i], `${link} at ${at}`).toContain(link);
			});
		}
		const html = r.finish(text).map(assemble).join('');
		expect(html).toBe(final.join(''));
	}

	for (const [name, texts] of Object.entries(corpora)) {
		it(`in every ${name} text, random chunks`, () => {
			const random = prng(11);
			for (const text of texts) streamChecked(text, random, 12, true);
		});

		it(`in the ${name} texts joined into one long document`, () => {
			streamChecked(texts.join('\n\n'), prng(12), 96, false);
		});
	}

	it('in all corpora joined into one long document', () => {
		streamChecked(Object.values(corpora).flat().join('\n\n'), prng(13), 400, false);
	});

	const uses = 'See [^1] and [docs].\n\nMore text.\n\n';
	for (const line of ['[^1]: Wikipedia', '[docs]: /x']) {
		it(`a half-typed \`${line}\` links nothing in finished blocks, char by char`, () => {
			for (const text of [`${uses}${line} is where it says so.\n`, `${uses}${line}\n\nEnd.`]) {
				const r = new StreamingRenderer(opts);
				for (let at = 1; at <= text.length; at++) {
					const shown = text.slice(0, at);
					const finished = r.update(shown).slice(0, r.finished).map(assemble).join('');
					// Only a definition whose line has ended may link the finished blocks.
					if (!shown.includes(`${line}\n`)) expect(finished, shown).not.toContain('<a ');
				}
				const html = r.finish(text).map(assemble).join('');
				expect(html).toBe(renderMarkdown(text, opts));
			}
		});
	}

	it('ends with a definition on the unfinished last line counted', () => {
		const text = `${uses}[docs]: /x`;
		const r = new StreamingRenderer(opts);
		for (let at = 1; at <= text.length; at++) r.update(text.slice(0, at));
		const html = r.finish(text).map(assemble).join('');
		expect(html).toContain('<a href="/x">docs</a>');
		expect(html).toBe(renderMarkdown(text, opts));
	});

	it('knows a definition inside a finished quote or list item', () => {
		for (const text of [
			'> [d]: /x\n\npara\n\n[d]\n\nmore [d]\n',
			'- [d]: /x\n\npara\n\n[d]\n\nmore [d]\n'
		]) {
			const r = new StreamingRenderer(opts);
			for (let at = 1; at <= text.length; at++) r.update(text.slice(0, at));
			const html = r.finish(text).map(assemble).join('');
			expect(html).toBe(renderMarkdown(text, opts));
		}
	});
});

describe('the open tail costs in proportion to the new text', () => {
	it('renders again only the finished blocks that use a late definition, keeping the others', () => {
		const text = 'Uses [a].\n\nPlain.\n\nUses [b].\n\n[a]: /x\n\nEnd.';
		const r = new StreamingRenderer(opts);
		const before = r.update(text.slice(0, text.indexOf('[a]:')));
		const after = r.update(text.slice(0, text.indexOf('End')));
		expect(r.resets).toBe(0);
		expect(assemble(after[0] as Block)).toContain('<a href="/x">a</a>');
		expect(after[0]?.key).not.toBe(before[0]?.key);
		// A finished block that does not mention the label is the very same object: its DOM is
		// untouched (the first three blocks were finished before the definition came).
		expect(after[2]).toBe(before[2]);
		expect(r.finish(text).map(assemble).join('')).toBe(renderMarkdown(text, opts));
	});

	it('stops finishing blocks when an update has spent its time, and goes on next time', () => {
		const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}.\n\n`).join('');
		let clock = 0;
		// Each look at the clock costs 5 ms: an 8 ms budget finishes two or three blocks.
		const r = new StreamingRenderer({ ...opts, timeBudget: 8, now: () => (clock += 5) });
		let blocks = r.update(text, 1_000_000);
		let rounds = 1;
		expect(r.behind).toBe(true);
		expect(blocks.length).toBeLessThan(10);
		while (r.behind) {
			const shown = blocks.length;
			blocks = r.update(text, 1_000_000);
			expect(blocks.length).toBeGreaterThan(shown);
			rounds++;
		}
		expect(rounds).toBeGreaterThan(5);
		expect(blocks.map(assemble).join('')).toBe(renderMarkdown(text, opts));
	});

	it('shows a long open paragraph at once: its last rendering, then the new text escaped', () => {
		const text = `${'word *em* '.repeat(200)}and <b>`;
		const r = new StreamingRenderer(opts);
		r.update(text.slice(0, 1500));
		const shown = r.update(text).map(assemble).join('');
		// Not rendered again yet (it has not doubled), but every character is there.
		expect(shown).toContain('and &#60;b&#62;</p>');
		expect(r.finish(text).map(assemble).join('')).toBe(renderMarkdown(text, opts));
	});
});

describe('a list or table streams an item at a time, and ends as rendered at once', () => {
	const items = (n: number, line: (i: number) => string) =>
		Array.from({ length: n }, (_, i) => line(i)).join('');
	const table = (rows: string) => `| left | centre | right | none |\n|:--|:-:|--:|---|\n${rows}`;
	const shapes: Record<string, string> = {
		tight: items(60, (i) => `- item ${i} with *emphasis* and \`code\`\n`),
		loose: items(40, (i) => `- item ${i}\n\n`),
		'ordered from 7': items(40, (i) => `${7 + i}. item ${i}\n`),
		'ordered with )': items(40, (i) => `${i + 1}) item ${i}\n`),
		nested: items(30, (i) => `- item ${i}\n  - inner ${i}\n    1. deeper\n`),
		'turning loose late': `${items(40, (i) => `* item ${i}\n`)}\n* the last, after a blank line\n`,
		'loose inside an item late': `${items(40, (i) => `+ item ${i}\n`)}+ last\n\n  its second paragraph\n`,
		'tasks, tight and loose': `${items(20, (i) => `- [${i % 2 ? 'x' : ' '}] task ${i}\n`)}\n${items(20, (i) => `- [ ] task ${i}\n\n`)}`,
		'code in items, each with its own Copy index': items(
			12,
			(i) => `- item ${i}\n\n  \`\`\`js\n  let v${i} = ${i};\n  \`\`\`\n`
		),
		'a new bullet starts a new list': `${items(20, (i) => `- a ${i}\n`)}${items(20, (i) => `* b ${i}\n`)}`,
		'a list, then a paragraph': `${items(30, (i) => `- item ${i}\n`)}\nAfter the list.\n`,
		'raw HTML in an item renders the list whole': `${items(20, (i) => `- item ${i}\n`)}- <div>open\n- </div>\n${items(5, (i) => `- more ${i}\n`)}`,
		'a definition used by an earlier item': `${items(20, (i) => `- see [ref${i % 3}]\n`)}- [ref1]: /one\n- end\n`,
		'aligned columns': table(items(50, (i) => `| ${i} | *${i}* | \`${i}\` | ${i} |\n`)),
		'ragged rows': table(items(50, (i) => `| ${i} |${' x |'.repeat(i % 6)}\n`)),
		'a table, then a paragraph': `${table(items(30, (i) => `| ${i} | a | b | c |\n`))}\nAfter.\n`
	};
	for (const [name, text] of Object.entries(shapes)) {
		for (const seed of [1, 2]) {
			it(`${name} (random chunks, seed ${seed})`, () => {
				const random = prng(seed);
				const once = renderMarkdown(text, opts);
				const streamed = stream(text, () => 1 + Math.floor(random() * 24));
				expect(streamed.html).toBe(once);
				expect(streamed.beforeFinish).toBe(once);
				expect(streamed.changed).toBe(0);
			});
		}
	}

	it('keeps each finished item as the same part, and renders only the open one again', () => {
		const text = items(200, (i) => `- item ${i}\n`);
		const r = new StreamingRenderer(opts);
		let before: Part[] = [];
		for (let at = 8; at < text.length; at += 8) {
			const [list] = r.update(text.slice(0, at));
			const parts = list?.parts ?? [];
			expect(parts.length, `at ${at}`).toBeGreaterThan(0);
			// The finished items shown before are the very same parts: only the open one changes.
			for (const [i, part] of before.slice(0, -1).entries()) expect(parts[i]).toBe(part);
			before = parts;
		}
		expect(before.length).toBe(200);
		// The shell is what the whole list renders around its items.
		const [list] = r.finish(text);
		expect(list?.html).toBe('<ul>\n</ul>\n');
		expect(list?.parts?.map((p) => p.html).join('')).toBe(
			items(200, (i) => `<li>item ${i}</li>\n`)
		);
	});

	it('reads a burst of items in windows until the update has spent its time, not in one long task', () => {
		const text = items(2000, (i) => `- item ${i}\n`);
		let clock = 0;
		// Each look at the clock costs 10 ms: an 8 ms budget reads one window of items.
		const r = new StreamingRenderer({ ...opts, timeBudget: 8, now: () => (clock += 10) });
		r.update(text.slice(0, 40), 1_000_000);
		let blocks = r.update(text, 1_000_000);
		let updates = 1;
		expect(r.behind).toBe(true);
		expect(blocks[0]?.parts?.length).toBeLessThan(300);
		while (r.behind && updates < 1000) {
			const shown = blocks[0]?.parts?.length ?? 0;
			blocks = r.update(text, 1_000_000);
			expect((blocks[0]?.parts?.length ?? 0) - shown).toBeLessThan(300);
			updates++;
		}
		expect(updates).toBeGreaterThan(5);
		expect(r.finish(text).map(assemble).join('')).toBe(renderMarkdown(text, opts));
	});

	it('renders a finished list again as it was when the view asks once more', () => {
		const text = items(30, (i) => `- item ${i}\n`);
		const once = renderMarkdown(text, opts);
		const r = new StreamingRenderer(opts);
		for (let at = 10; at < text.length; at += 10) r.update(text.slice(0, at));
		expect(r.finish(text).map(assemble).join('')).toBe(once);
		// The view updates and finishes again on any later render (a language switch, say).
		expect(r.update(text).map(assemble).join('')).toBe(once);
		expect(r.finish(text).map(assemble).join('')).toBe(once);
	});

	it("puts a table's head in its shell and each row in a part, aligned", () => {
		const text = table(items(30, (i) => `| ${i} | b | c | d |\n`));
		const [block] = new StreamingRenderer(opts).update(text);
		expect(block?.html.slice(0, block.slot)).toContain('<th align="right">right</th>');
		expect(block?.html.slice(block.slot)).toBe('</tbody></table>\n');
		expect(block?.parts?.[3]?.html).toBe(
			'<tr>\n<td align="left">3</td>\n<td align="center">b</td>\n<td align="right">c</td>\n<td>d</td>\n</tr>\n'
		);
	});
});
