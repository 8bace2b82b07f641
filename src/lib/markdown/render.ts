/**
 * marked configured once for untrusted model output: GFM, math, code blocks with a copy
 * button, highlighted only when closed and in a loaded grammar; every block sanitised on its
 * own, so no tag can be smuggled across block boundaries and streamed output equals one-shot.
 */
import { Lexer, Marked, Tokenizer, type Token, type TokensList, type Tokens } from 'marked';
import { highlight, isLoaded, languageOf, loadLanguage } from './highlight.ts';
import { loadMath, mathExtension } from './math.ts';
import { own } from './own.ts';
import { sanitize as defaultSanitize } from './sanitize.ts';

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

/** One top-level block, rendered. */
export interface Rendered {
	/** Sanitised HTML. */
	html: string;
	/**
	 * The text of each code block in it, by the index its Copy button carries: Copy takes the
	 * text from here, never from the DOM, which model HTML may have dressed up as code.
	 */
	code: string[];
}

export interface Engine {
	marked: Marked;
	/**
	 * Lex with link definitions known from elsewhere in the document. `streaming`: the text
	 * is still growing, so a definition on its unfinished last line defines nothing yet.
	 */
	lex(src: string, links?: TokensList['links'], streaming?: boolean): TokensList;
	/** One top-level block → sanitised HTML and its code blocks' text. */
	block(token: Token, open?: boolean): Rendered;
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
	let invalidateScheduled = false;
	const invalidate = () => {
		if (invalidateScheduled) return;
		invalidateScheduled = true;
		queueMicrotask(() => {
			invalidateScheduled = false;
			opts.onInvalidate?.();
		});
	};
	let openBlock = false;
	/** The code texts of the block being rendered. */
	let code: string[] = [];
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
					const language = languageOf(lang);
					const label = escape((lang ?? '').trim().split(/\s+/)[0] ?? '');
					const closed = !openBlock || isClosedFence(raw);
					let body = escape(text);
					if (language && closed) {
						if (isLoaded(language)) body = cachedHighlight(text, language);
						else void loadLanguage(language).then(invalidate);
					}
					const cls = label ? `${own} class="${language ? 'hljs ' : ''}language-${label}"` : '';
					const index = code.push(text) - 1;
					return `<div${own} class="code-block"><div${own} class="code-head"><span${own} class="code-lang">${label}</span><button${own} type="button" class="copy-code" data-copy-code="${index}">${copyLabel}</button></div><pre><code${cls}>${body}</code></pre></div>\n`;
				},
				checkbox({ checked }: Tokens.Checkbox) {
					return `<span${own} class="task" data-checked="${checked}">${checked ? '☑' : '☐'}</span> `;
				}
			}
		}
	);
	return {
		marked,
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
		block(token, open = false) {
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
	return tokens.map((t) => engine.block(t).html);
}

let shared: Engine | undefined;

export function renderMarkdown(text: string, opts?: RenderOptions): string {
	const engine = opts ? createEngine(opts) : (shared ??= createEngine());
	return renderBlocks(engine, text).join('');
}
