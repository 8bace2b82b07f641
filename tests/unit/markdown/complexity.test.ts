/**
 * Streaming one long block costs in proportion to its final length: counted in operations
 * (characters lexed, highlighted, sanitised), never by the clock. A renderer that re-renders the
 * open block from its start on every update spends the block's length per update: quadratic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllLanguages } from '../../../src/lib/markdown/highlight.ts';
import {
	renderMarkdown,
	type RenderOptions,
	type RenderStats
} from '../../../src/lib/markdown/render.ts';
import { assemble, StreamingRenderer } from '../../../src/lib/markdown/streaming.ts';
import { identity } from './helpers.ts';

/** Every count, summed over the stream, is at most this many times rendering the final text once. */
const C = 3;

const list = Array.from({ length: 5000 }, (_, i) => `- item ${i} is *fine*\n`).join('');
const head = '| a | b | c |\n|:--|:-:|--:|\n';
const table = `${head}${Array.from({ length: 2000 }, (_, i) => `| ${i} | *${i}* | \`${i}\` |\n`).join('')}`;
/**
 * The blocks streamed in parts, one per item or row: the sanitiser is called for each item, and
 * an update lexes the open item after what makes it lex as in place (a table's head).
 */
const inParts: Record<string, { items: number; lexedPerUpdate: number }> = {
	'a list of 5,000 items': { items: 5000, lexedPerUpdate: 0 },
	'a table of 2,000 rows': { items: 2000, lexedPerUpdate: head.length }
};

const shapes: Record<string, string> = {
	'a 100 KB open fenced code block': `\`\`\`ts\n${Array.from(
		{ length: 2200 },
		(_, i) => `export function f${i}(a: number): string {\n\treturn \`v\${a}\` + "${i}"; // ok\n}\n`
	)
		.join('')
		.slice(0, 100_000)}\n\`\`\`\n`,
	'a 60 KB paragraph with inline marks': Array.from(
		{ length: 1500 },
		(_, i) => `Word *${i}* and **bold** with \`code\` and [a link](https://x.example/${i}) `
	)
		.join('')
		.slice(0, 60_000),
	'a list of 5,000 items': list,
	'a table of 2,000 rows': table,
	'a new definition after every block': Array.from(
		{ length: 800 },
		(_, i) =>
			`Paragraph ${i} cites [r${i}] and [r${Math.max(0, i - 1)}].\n\n[r${i}]: https://x.example/${i}\n\n`
	).join('')
};

interface Counts extends RenderStats {
	sanitised: number;
	sanitisations: number;
}

/** Render options that count every operation into `counts`. */
function counting(counts: Counts): RenderOptions {
	const sanitize = (html: string) => {
		counts.sanitisations++;
		counts.sanitised += html.length;
		return identity(html);
	};
	return { sanitize, stats: counts };
}

const zero = (): Counts => ({
	lexed: 0,
	highlighted: 0,
	highlights: 0,
	sanitised: 0,
	sanitisations: 0
});

/**
 * Streams `text` in chunks of `chunk` characters, counting, and the most one update did; and
 * renders it once, counting.
 */
function counted(text: string, chunk: number, budget = Infinity) {
	const streamed = zero();
	const most = { lexed: 0, sanitised: 0 };
	// With a budget, as the view calls it: a clock that moves a tenth of a millisecond a reading.
	let clock = 0;
	const r = new StreamingRenderer({ ...counting(streamed), now: () => (clock += 0.1) });
	let updates = 0;
	for (let at = chunk; at < text.length; at += chunk, updates++) {
		const [lexed, sanitised] = [streamed.lexed, streamed.sanitised];
		r.update(text.slice(0, at), budget);
		most.lexed = Math.max(most.lexed, streamed.lexed - lexed);
		most.sanitised = Math.max(most.sanitised, streamed.sanitised - sanitised);
	}
	const html = r.finish(text).map(assemble).join('');
	const once = zero();
	return {
		html,
		once: renderMarkdown(text, counting(once)),
		streamed,
		counts: once,
		most,
		updates
	};
}

describe('streaming one long block costs a small multiple of rendering it once', () => {
	beforeAll(() => loadAllLanguages());

	for (const [name, text] of Object.entries(shapes)) {
		it(name, { timeout: 120_000 }, () => {
			// Chunks of 32 characters: thousands of updates, each a re-render if done naively.
			const { html, once, streamed, counts, updates } = counted(text, 32);
			expect(html).toBe(once);
			const parts = inParts[name];
			const extra = { lexed: updates * (parts?.lexedPerUpdate ?? 0) };
			for (const k of ['lexed', 'highlighted', 'highlights', 'sanitised'] as const)
				expect(streamed[k], k).toBeLessThanOrEqual(
					C * (counts[k] ?? 0) + (extra[k as 'lexed'] ?? 0)
				);
			// Sanitiser calls: at most one per finished block (or item) and a few per open one.
			expect(streamed.sanitisations, 'sanitiser calls').toBeLessThanOrEqual(
				parts ? parts.items * C : C * counts.sanitisations + 64
			);
		});
	}
});

describe('a list or table given a frame budget, as the view streams it', () => {
	for (const [name, parts] of Object.entries(inParts)) {
		it(`${name}: each item is sanitised a few times, not once per reading of the clock`, () => {
			const { html, once, streamed } = counted(shapes[name] ?? '', 128, 16_384);
			expect(html).toBe(once);
			// About one call for each item as it finishes and one for the open item per update.
			expect(streamed.sanitisations, 'sanitiser calls').toBeLessThanOrEqual(parts.items * 2);
		});
	}
});

describe('a long list or table streams an item at a time', () => {
	// Rendering the block again once it has doubled would lex and sanitise all of it in one
	// update: the last of those is the longest task of the stream.
	for (const [name, text] of [
		['a list of 5,000 items', list],
		['a loose list', Array.from({ length: 2000 }, (_, i) => `- item ${i}\n\n`).join('')],
		['an ordered list', Array.from({ length: 2000 }, (_, i) => `${i + 7}) item ${i}\n`).join('')],
		['a table of 2,000 rows', table]
	] as const) {
		it(`${name}: no update lexes or sanitises more than a few items`, { timeout: 60_000 }, () => {
			// A few characters an update: an open item alone (no blank line before it) lexes tight.
			const { most } = counted(text, 5);
			expect(most.lexed).toBeLessThan(256);
			expect(most.sanitised).toBeLessThan(512);
		});
	}
});
