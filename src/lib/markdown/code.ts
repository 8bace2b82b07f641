/**
 * A top-level code block as parts, so streaming a long one costs in proportion to its length.
 *
 * The code's text is cut at line ends into chunks, each highlighted on its own. A chunk is
 * frozen (kept, never highlighted again) when highlight.js ends it at its grammar's root: the
 * next chunk then starts from the same state a whole-block pass would be in. Where it ends
 * inside a mode (a long comment, a template string), the chunk is extended and highlighted
 * again, each time at least twice as long, so a block that never returns to the root costs a
 * bounded multiple of its length, not its length per update.
 *
 * The cut points are a function of the text alone (see `next`), so a block rendered at once
 * and the same block streamed line by line give the same parts: streamed equals one-shot by
 * construction.
 */
import { highlighted as highlightStep } from './highlight.ts';

/** A chunk is at least this many characters, cut at the first line end after it. */
export const CHUNK = 2048;

export interface Part {
	/** Stable while the part's html does not change: the view replaces only changed parts. */
	key: string;
	html: string;
}

let chunkers = 0;

function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ChunkerOptions {
	/** A loaded grammar, or undefined for plain escaped text. */
	language: string | undefined;
	/** Sanitises a part's html as the content of a `<code>` element. */
	sanitize: (html: string) => string;
	onHighlight?: (chars: number) => void;
}

/**
 * The chunks of one code block's text, computed as far as the text is known. `text` only grows
 * (at most its last line changes); `limit` is how far the text is sure not to change.
 */
export class CodeChunker {
	#opts: ChunkerOptions;
	/** The text the frozen chunks cover: later text must start with it. */
	#text = '';
	#frozen: Array<Part & { end: number }> = [];
	/** Where the unfrozen chunk starts. */
	#start = 0;
	/** The last highlight of an unfrozen chunk that did not end at the root. */
	#attempt: { end: number; html: string } | undefined;

	/** Part keys are unique to this block's chunks: `${id}.…`. */
	#id = chunkers++;

	constructor(opts: ChunkerOptions) {
		this.#opts = opts;
	}

	get language(): string | undefined {
		return this.#opts.language;
	}

	/** True when the chunks so far were cut from a prefix of `text`: they can be kept. */
	fits(text: string): boolean {
		return text.startsWith(this.#text.slice(0, this.#attempt?.end ?? this.#start));
	}

	/** The next cut point after the unfrozen chunk's start, or -1 past `limit`. */
	#next(text: string, limit: number): number {
		const grown = this.#attempt ? 2 * (this.#attempt.end - this.#start) : 0;
		const from = this.#start + Math.max(CHUNK, grown) - 1;
		if (from >= limit) return -1;
		const nl = text.indexOf('\n', from);
		return nl < 0 || nl + 1 > limit ? -1 : nl + 1;
	}

	#highlight(code: string): { html: string; root: boolean } {
		const { language, onHighlight } = this.#opts;
		if (!language) return { html: escape(code), root: true };
		onHighlight?.(code.length);
		return highlightStep(code, language);
	}

	/** Cuts and highlights every chunk that ends before `limit`. */
	advance(text: string, limit: number): void {
		this.#text = text;
		for (let end = this.#next(text, limit); end >= 0; end = this.#next(text, limit)) {
			const { html, root } = this.#highlight(text.slice(this.#start, end));
			if (!root) {
				this.#attempt = { end, html };
				continue;
			}
			this.#frozen.push({ key: `${this.#id}.c${this.#start}`, html: this.#part(html), end });
			this.#start = end;
			this.#attempt = undefined;
		}
	}

	/** Highlighted chunks are sanitised in place; plain text is escaped and needs no pass. */
	#part(html: string): string {
		return this.#opts.language ? this.#opts.sanitize(html) : html;
	}

	/**
	 * The parts for `text`: the frozen chunks and the rest. `closed`: the rest is highlighted
	 * (the block's end); otherwise it shows as its last highlight and then escaped text, and
	 * only what `advance` was told is sure has been cut.
	 */
	parts(text: string, closed: boolean): Part[] {
		if (closed) this.advance(text, text.length);
		const rest = text.slice(this.#start);
		const parts: Part[] = [...this.#frozen];
		if (closed) {
			if (rest) parts.push(this.#last(this.#part(this.#highlight(rest).html)));
			return parts;
		}
		const attempt = this.#attempt;
		const shown = attempt
			? this.#sanitisedAttempt(attempt) + escape(text.slice(attempt.end))
			: escape(rest);
		if (shown) parts.push(this.#last(shown));
		return parts;
	}

	#lastPart: Part | undefined;
	#serial = 0;

	/** The part after the frozen ones. A key names one html: it gets a new one when it changes. */
	#last(html: string): Part {
		if (this.#lastPart?.html !== html)
			this.#lastPart = { key: `${this.#id}.t${this.#serial++}`, html };
		return this.#lastPart;
	}

	#sanitised = new WeakMap<object, string>();

	/** An attempt's html sanitised once, however many updates show it. */
	#sanitisedAttempt(attempt: { end: number; html: string }): string {
		let html = this.#sanitised.get(attempt);
		if (html === undefined) {
			html = this.#part(attempt.html);
			this.#sanitised.set(attempt, html);
		}
		return html;
	}
}
