import { readFileSync } from 'node:fs';
import { own } from '../../../src/lib/markdown/own.ts';
import type { RenderOptions } from '../../../src/lib/markdown/render.ts';
import { assemble, StreamingRenderer } from '../../../src/lib/markdown/streaming.ts';

export interface Example {
	example: number;
	section: string;
	markdown: string;
	html: string;
}

function corpus<T>(file: string): T {
	return JSON.parse(
		readFileSync(new URL(`../../fixtures/corpora/${file}`, import.meta.url), 'utf8')
	) as T;
}

/** The CommonMark 0.31.2 spec examples (see tests/fixtures/corpora). */
export const examples = corpus<Example[]>('commonmark-0.31.2-examples.json');

/** Every description in the OpenAI schemas: markdown written by people, links and all. */
function descriptions(node: unknown, out: string[] = []): string[] {
	if (Array.isArray(node)) for (const n of node) descriptions(n, out);
	else if (node && typeof node === 'object')
		for (const [k, v] of Object.entries(node))
			if (k === 'description' && typeof v === 'string') out.push(v);
			else descriptions(v, out);
	return out;
}

/** Every vendored corpus as markdown texts: spec examples, XSS payloads, schema prose. */
export const corpora: Record<string, string[]> = {
	commonmark: examples.map((e) => e.markdown),
	dompurify: corpus<Array<{ payload: string }>>('dompurify-vectors.json').map((v) => v.payload),
	openai: descriptions(corpus('openai-chat-schemas.json'))
};

/**
 * Node has no DOM: the HTML handed to DOMPurify is compared, less the renderer's random mark
 * on its own elements (DOMPurify's hook takes it off too); the browser tests run DOMPurify.
 */
export const identity = (html: string) => html.replaceAll(own, '');

/**
 * Streams `text` as three growing prefixes (a quarter, a half, three quarters) and then the
 * end, counting the characters handed to marked's lexer. An update lexes at most its own text
 * and `finish` at most the text twice (the last update, then the closed tail), so a renderer
 * that lexes nothing twice per update spends at most 1/4 + 2/4 + 3/4 + 2 = 3.5 times the text.
 */
export function streamCounted(text: string, opts: RenderOptions): { html: string; lexed: number } {
	const stats = { lexed: 0 };
	const r = new StreamingRenderer({ ...opts, stats });
	for (const quarter of [1, 2, 3]) r.update(text.slice(0, Math.floor((text.length * quarter) / 4)));
	const html = r.finish(text).map(assemble).join('');
	return { html, lexed: stats.lexed };
}
