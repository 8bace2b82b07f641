/**
 * marked configured once for untrusted model output: GFM, math, code blocks with a copy
 * button, highlighted only when closed and in a loaded grammar; every block sanitised on its
 * own, so no tag can be smuggled across block boundaries and streamed output equals one-shot.
 */
import { Lexer, Marked, Tokenizer, type Token, type TokensList, type Tokens } from 'marked';
import { CodeChunker, type Part } from './code.ts';
import { ItemParts, type Item } from './items.ts';
import { highlight, isLoaded, languageOf, loadLanguage } from './highlight.ts';
import { loadMath, mathExtension } from './math.ts';
import { OWN, own } from './own.ts';
import { sanitize as defaultSanitize, sanitizeInside, wrap } from './sanitize.ts';

export interface RenderOptions {
	/** Text of every code block's copy button (the caller translates it). */
	copyLabel?: string;
	/** Page origin: images from it (and data:image/…, blob:) show; others become placeholders. */
	origin?: string;
	/** Text before the URL on a remote image's placeholder button. */
	loadImageLabel?: string;
	/** Replaces DOMPurify, e.g. in Node tests that compare block structure. */
	sanitize?: (html: string) => string;
	/** A grammar or KaTeX finished loading: blocks rendered without it are stale. */
	onInvalidate?: () => void;
	/** Counts the work done, for tests that assert complexity by operations, not by the clock. */
	stats?: RenderStats;
}

export interface RenderStats {
	/** Characters handed to marked's lexer, summed over every lex. */
	lexed: number;
	/** Characters of top-level code handed to highlight.js, and how many calls. */
	highlighted?: number;
	highlights?: number;
}

function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A fenced block is closed when its last line is a fence at least as long as the opener. */
export function isClosedFence(raw: string): boolean {
	const open = /^ {0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
	if (!open) return true;
	const lines = raw.replace(/\n+$/, '').split('\n');
	if (lines.length < 2) return false;
	const last = lines[lines.length - 1]?.trim() ?? '';
	return last.length >= open.length && last === (open[0] ?? '').repeat(last.length);
}

/** One top-level block, rendered: plain data, so it can cross to and from a Worker. */
export interface Rendered {
	/** Sanitised HTML; with `parts`, the shell they go into at `slot`. */
	html: string;
	/**
	 * The text of each code block in it, by the index its Copy button carries: Copy takes the
	 * text from here, never from the DOM, which model HTML may have dressed up as code.
	 */
	code: string[];
	/**
	 * A long block in pieces (a top-level code block's chunks, a list's items, a table's body
	 * rows), each sanitised in place, so an update redoes only the last and the view appends the
	 * rest. See `assemble`.
	 */
	parts?: Part[];
	/** Where in `html` the parts go: inside the shell's one container (`<code>`, `<ul>`, `<tbody>`). */
	slot?: number;
}

/** What a block in parts keeps from one render to the next of the same growing block. */
export type Kept = CodeChunker | ItemParts<Tokens.ListItem> | ItemParts<Tokens.TableCell[]>;

/**
 * A table whose head (its first two lines) is longer than this renders whole: each row part is
 * rendered with the head, and a very wide table has few rows.
 */
const HEAD = 2048;
/**
 * An open list or table whose last item is longer than this renders whole, so that the stream
 * renders it again only once it has doubled (see streaming.ts), not on every update.
 */
export const BIG_ITEM = 4096;

/** The block's whole HTML: what a one-shot render gives and what the view shows. */
export function assemble(block: Rendered): string {
	if (!block.parts) return block.html;
	const at = block.slot ?? block.html.length;
	return block.html.slice(0, at) + block.parts.map((p) => p.html).join('') + block.html.slice(at);
}

export interface Engine {
	marked: Marked;
	/**
	 * Lex with link definitions known from elsewhere in the document. `streaming`: the text
	 * is still growing, so a definition on its unfinished last line defines nothing yet.
	 */
	lex(src: string, links?: TokensList['links'], streaming?: boolean): TokensList;
	/**
	 * One top-level block → sanitised HTML and its code blocks' text. A code block comes in
	 * parts, and so does a list or table while it streams (open, or given what it kept); `kept`
	 * carries the parts from the last render of the same growing block.
	 */
	block(token: Token, open?: boolean, kept?: Kept): Rendered & { kept?: Kept };
	/**
	 * A top-level list or table in parts, its items from `first` on given (those before are
	 * kept from earlier renders). Undefined when it must render whole.
	 */
	items(
		token: Tokens.List | Tokens.Table,
		open: boolean,
		kept: Kept | undefined,
		first?: number
	): (Rendered & { kept: Kept }) | undefined;
	/** A top-level code block as its shell and parts (its text as marked gives it). */
	code(
		info: string | undefined,
		text: string,
		closed: boolean,
		chunker?: CodeChunker,
		/** How far `text` is sure not to change while open (default: all but its last line). */
		limit?: number
	): Rendered & { kept?: Kept };
}

/**
 * marked carries "inside a raw <a>" from one block's inline text into every later block (it
 * resets the like state for <pre>): a `<a href>` left open would stop autolinks to the end of
 * the answer at once, but not when streamed, which lexes from the open tail. Each block starts
 * outside, so both agree.
 */
class BlockLexer extends Lexer {
	#depth = 0;

	override inlineTokens(src: string, tokens?: Token[]): Token[] {
		if (this.#depth === 0) this.state.inLink = false;
		this.#depth++;
		try {
			return super.inlineTokens(src, tokens);
		} finally {
			this.#depth--;
		}
	}
}

const highlighted = new Map<string, string>();

/** Highlight once per (grammar, text): a closed block re-rendered in the tail costs a lookup. */
function cachedHighlight(code: string, language: string): string {
	const key = `${language}\u0000${code}`;
	let html = highlighted.get(key);
	if (html === undefined) {
		html = highlight(code, language);
		if (highlighted.size > 500) highlighted.clear();
		highlighted.set(key, html);
	}
	return html;
}

export function createEngine(opts: RenderOptions = {}): Engine {
	// A glyph, not English, when the caller passes no translated label.
	const copyLabel = escape(opts.copyLabel ?? '⧉');
	const sanitize = opts.sanitize ?? ((html: string) => defaultSanitize(html, opts));
	/** A part sanitised where it goes, inside the elements of `path`, the wrapper taken off. */
	const inside = (html: string, path: readonly string[]): string | undefined => {
		if (!opts.sanitize) return sanitizeInside(html, path, opts);
		const [open, close] = wrap('\u0000', path).split('\u0000') as [string, string];
		const out = opts.sanitize(open + html + close);
		return out.startsWith(open) && out.endsWith(close)
			? out.slice(open.length, out.length - close.length)
			: undefined;
	};
	let invalidateScheduled = false;
	const invalidate = () => {
		if (invalidateScheduled) return;
		invalidateScheduled = true;
		queueMicrotask(() => {
			invalidateScheduled = false;
			opts.onInvalidate?.();
		});
	};
	/** The grammar for a fence's info string, once loaded (asking for it when not yet). */
	const loaded = (lang: string | undefined): string | undefined => {
		const language = languageOf(lang);
		if (!language || isLoaded(language)) return language;
		void loadLanguage(language).then(invalidate);
		return undefined;
	};
	/** A code block's frame: its language, its Copy button (by code index), its body. */
	const frame = (lang: string | undefined, body: string, index: number) => {
		const label = escape((lang ?? '').trim().split(/\s+/)[0] ?? '');
		const cls = label ? `${own} class="${languageOf(lang) ? 'hljs ' : ''}language-${label}"` : '';
		return `<div${own} class="code-block"><div${own} class="code-head"><span${own} class="code-lang">${label}</span><button${own} type="button" class="copy-code" data-copy-code="${index}">${copyLabel}</button></div><pre><code${cls}>${body}</code></pre></div>\n`;
	};
	/** A code part sanitised where it goes, inside `<pre><code>`. */
	const sanitizeCode = (html: string) => inside(html, ['pre', 'code']) ?? sanitize(html);
	const codeStats = (chars: number) => {
		if (!opts.stats) return;
		opts.stats.highlighted = (opts.stats.highlighted ?? 0) + chars;
		opts.stats.highlights = (opts.stats.highlights ?? 0) + 1;
	};
	/** A code block's frame, sanitised with a mark no model text can hold where the parts go. */
	const shells = new Map<string, { html: string; slot: number }>();
	const shellOf = (info: string | undefined) => {
		let shell = shells.get(info ?? '');
		if (!shell) {
			const html = sanitize(frame(info, OWN, 0));
			const slot = html.indexOf(OWN);
			if (slot < 0 || html.indexOf(OWN, slot + 1) >= 0) throw new Error('no slot for code');
			shell = { html: html.slice(0, slot) + html.slice(slot + OWN.length), slot };
			if (shells.size > 100) shells.clear();
			shells.set(info ?? '', shell);
		}
		return shell;
	};
	const codeBlock: Engine['code'] = (info, text, closed, chunker, limit) => {
		const shell = shellOf(info);
		const language = loaded(info);
		// A caller that gives `limit` has kept the text continuous itself (and a check would
		// read the whole text on every update).
		const reuse =
			chunker && chunker.language === language && (limit !== undefined || chunker.fits(text));
		const chunks = reuse
			? chunker
			: new CodeChunker({ language, sanitize: sanitizeCode, onHighlight: codeStats });
		if (!closed) {
			const last = text.lastIndexOf('\n');
			chunks.advance(text, limit ?? text.lastIndexOf('\n', last - 1) + 1);
		}
		return {
			html: shell.html,
			slot: shell.slot,
			parts: chunks.parts(text, closed),
			code: [text],
			kept: chunks
		};
	};
	let openBlock = false;
	/** The code texts of the block being rendered, and the Copy index of its first. */
	let code: string[] = [];
	let codeBase = 0;
	/** While streaming, the text being lexed: definitions on its unfinished last line wait. */
	let growing: string | undefined;
	const marked = new Marked(
		{ gfm: true, breaks: false },
		mathExtension(() => void loadMath().then(invalidate)),
		{
			tokenizer: {
				def(src: string) {
					const token = Tokenizer.prototype.def.call(this, src);
					if (!token || growing === undefined || !onLastLine(token, src, growing)) return token;
					// `[docs]: /x` may yet become `[docs]: /x is a page`: only its finished lines count.
					const finished = src.slice(0, src.lastIndexOf('\n') + 1);
					return finished ? Tokenizer.prototype.def.call(this, finished) : undefined;
				}
			},
			renderer: {
				code({ text, lang, raw }: Tokens.Code) {
					const language = loaded(lang);
					const closed = !openBlock || isClosedFence(raw);
					const body = language && closed ? cachedHighlight(text, language) : escape(text);
					return frame(lang, body, codeBase + code.push(text) - 1);
				},
				checkbox({ checked }: Tokens.Checkbox) {
					return `<span${own} class="task" data-checked="${checked}">${checked ? '☑' : '☐'}</span> `;
				}
			}
		}
	);
	/**
	 * One item of a list or table, rendered as marked renders it inside `token` (the block with
	 * that item alone), cut out between `before` and `after`, and sanitised inside `path`.
	 */
	const one = (
		token: Token,
		cut: { before: string; after: string; path: readonly string[] },
		open: boolean,
		base: number
	): { html: string; code: string[] } | undefined => {
		openBlock = open;
		code = [];
		codeBase = base;
		try {
			const html = marked.parser([token]);
			const at = html.indexOf(cut.before);
			if (at < 0 || !html.endsWith(cut.after)) return undefined;
			const safe = inside(html.slice(at + cut.before.length, -cut.after.length), cut.path);
			return safe === undefined ? undefined : { html: safe, code };
		} catch {
			return undefined;
		} finally {
			openBlock = false;
			codeBase = 0;
		}
	};
	/** A block's shell: `html` sanitised, its parts to go before `close` at its end. */
	const shell = (html: string, close: string) => {
		const safe = sanitize(html);
		return safe.endsWith(close) ? { html: safe, slot: safe.length - close.length } : undefined;
	};
	const listParts = (token: Tokens.List, kept: Kept | undefined) => {
		const { ordered, start, loose } = token;
		const tag = ordered ? 'ol' : 'ul';
		const shape = `${tag} ${start} ${loose}`;
		if (kept instanceof ItemParts && kept.shape === shape)
			return kept as ItemParts<Tokens.ListItem>;
		const list = (items: Tokens.ListItem[], first: number | '') =>
			({ type: 'list', raw: '', ordered, start: first, loose, items }) as Tokens.List;
		const box = shell(marked.parser([list([], start)]), `</${tag}>\n`);
		// One item alone in a list numbered from 1: no start attribute to cut off.
		const cut = { before: `<${tag}>\n`, after: `</${tag}>\n`, path: [tag] };
		return box
			? new ItemParts<Tokens.ListItem>(shape, box, {
					render: (item, open, base) =>
						hasHtml(item) ? undefined : one(list([item], ordered ? 1 : ''), cut, open, base)
				})
			: undefined;
	};
	const tableParts = (token: Tokens.Table, head: string, kept: Kept | undefined) => {
		const shape = `table ${head}`;
		if (kept instanceof ItemParts && kept.shape === shape)
			return kept as ItemParts<Tokens.TableCell[]>;
		if (head.length > HEAD || hasHtml(token.header)) return undefined;
		const table = (rows: Tokens.TableCell[][]) => ({ ...token, rows });
		// marked writes no <tbody> for a table without rows: the shell has one for them.
		const end = '</table>\n';
		const box = shell(
			`${marked.parser([table([])]).slice(0, -end.length)}<tbody></tbody>${end}`,
			`</tbody>${end}`
		);
		const cut = { before: '<tbody>', after: `</tbody>${end}`, path: ['table', 'tbody'] };
		return box
			? new ItemParts<Tokens.TableCell[]>(shape, box, {
					render: (row, open, base) =>
						hasHtml(row) ? undefined : one(table([row]), cut, open, base)
				})
			: undefined;
	};
	/** A block's items as parts, or undefined: it renders whole. */
	const inParts = <T>(
		box: ItemParts<T> | undefined,
		all: Item<T>[],
		open: boolean,
		first: number
	) => {
		const last = all.at(-1);
		if (!box || !last || (open && last.raw.length > BIG_ITEM)) return undefined;
		const rendered = box.parts(all, first, open);
		return rendered && { ...box.shell, ...rendered, kept: box };
	};
	const items: Engine['items'] = (token, open, kept, first = 0) => {
		if (token.type === 'list') {
			const list = token as Tokens.List;
			const all = list.items.map((item) => ({ raw: item.raw, token: item }));
			return inParts(listParts(list, kept), all, open, first);
		}
		const table = token as Tokens.Table;
		const lines = table.raw.replace(/\n+$/, '').split('\n');
		if (lines.length !== table.rows.length + 2) return undefined;
		const rows = table.rows.map((row, i) => ({ raw: lines[i + 2] as string, token: row }));
		return inParts(tableParts(table, `${lines[0]}\n${lines[1]}`, kept), rows, open, first);
	};
	return {
		marked,
		items,
		lex(src, links, streaming = false) {
			if (opts.stats) opts.stats.lexed += src.length;
			const lexer = new BlockLexer(marked.defaults);
			if (links) Object.assign(lexer.tokens.links, links);
			growing = streaming ? src : undefined;
			try {
				return lexer.lex(src);
			} catch {
				// Nesting deep enough to overflow marked's recursion: show the text, unrendered.
				return fallbackTokens(src);
			} finally {
				growing = undefined;
			}
		},
		code: codeBlock,
		block(token, open = false, kept) {
			if (token.type === 'code') {
				const { lang, text, raw } = token as Tokens.Code;
				const chunker = kept instanceof CodeChunker ? kept : undefined;
				try {
					return codeBlock(lang, text, !open || isClosedFence(raw), chunker);
				} catch {
					// A sanitiser that moved the slot: the whole block in one piece, as below.
				}
			}
			// A list or table streaming in comes in parts; refused, it renders whole as below.
			const list = token.type === 'list' || token.type === 'table';
			if (list && (open || kept instanceof ItemParts)) {
				const rendered = items(token as Tokens.List | Tokens.Table, open, kept);
				if (rendered) return rendered;
			}
			openBlock = open;
			code = [];
			const unrendered = () => ({
				html: `<pre class="unrendered">${escape(token.raw)}</pre>\n`,
				code: []
			});
			try {
				return token.type === UNRENDERED
					? unrendered()
					: { html: sanitize(marked.parser([token])), code };
			} catch {
				return unrendered();
			} finally {
				openBlock = false;
			}
		}
	};
}

/**
 * True when a definition ends the growing text on a line not yet ended. `src` is what the
 * tokenizer was given: the text itself, or a container's content (a quote's, a list item's)
 * with its markers taken off, so the last line is compared without them.
 */
function onLastLine(token: Tokens.Def, src: string, text: string): boolean {
	if (token.raw.length < src.length || text.endsWith('\n')) return false;
	const last = src.slice(src.lastIndexOf('\n') + 1).trim();
	return text.trimEnd().endsWith(last);
}

const UNRENDERED = 'unrendered';

/** True when raw HTML is anywhere in a token: it may open or close elements across items. */
function hasHtml(node: unknown): boolean {
	if (Array.isArray(node)) return node.some(hasHtml);
	if (!node || typeof node !== 'object') return false;
	const t = node as { type?: string; tokens?: unknown; items?: unknown; header?: unknown };
	return t.type === 'html' || [t.tokens, t.items, t.header].some(hasHtml);
}

function fallbackTokens(src: string): TokensList {
	const tokens = [{ type: UNRENDERED, raw: src }] as unknown as TokensList;
	tokens.links = Object.create(null) as TokensList['links'];
	return tokens;
}

/** CommonMark treats CR and CRLF as line endings; marked wants LF. */
export function normalise(text: string): string {
	return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** The whole text at once: every top-level block rendered and sanitised on its own. */
export function renderBlocks(engine: Engine, text: string): string[] {
	const tokens = engine.lex(normalise(text));
	return tokens.map((t) => assemble(engine.block(t)));
}

let shared: Engine | undefined;

export function renderMarkdown(text: string, opts?: RenderOptions): string {
	const engine = opts ? createEngine(opts) : (shared ??= createEngine());
	return renderBlocks(engine, text).join('');
}
