/**
 * Streaming markdown at the cost of rendering it once. Finished top-level blocks are lexed,
 * rendered and sanitised once and kept (same key, same string, so their DOM is untouched);
 * only the text after them, the open tail, is lexed again as tokens arrive. Re-lexing the whole
 * text and memoising blocks would still be O(n²): lexing dominates.
 *
 * A block is finished when a blank line and then another block follow it: in CommonMark
 * nothing after that can change it, except a link reference definition that arrives after
 * its use, which makes us start over once. A definition counts only once its line has ended:
 * `[docs]: /x` still being typed may become `[docs]: /x is where…`, a paragraph, and finished
 * blocks must not keep a link the final text does not have.
 *
 * The open tail costs in proportion to the new text, whatever its shape:
 * - An open fenced code block is not lexed again at all: its new lines are read here (is it
 *   the closing fence?) and its text is cut into chunks highlighted once (see code.ts). The
 *   block is a shell plus parts; `assemble` gives its HTML, the view appends the parts.
 * - An open list or table is a shell plus one part per item or body row (see items.ts): only
 *   its open last item is lexed and rendered again, the items before it are kept.
 * - Any other open block (a long paragraph, list or table) is lexed and rendered again only
 *   once it has doubled since its last rendering, or when a blank line arrives (it may
 *   have ended); meanwhile the new text shows escaped after that rendering. So the work is a
 *   geometric sum, a small multiple of the block's length, and `finish` renders it exactly.
 * - A late link definition renders again only the finished blocks that mention its label.
 * - An update stops finishing blocks once its time budget is spent and reports `behind`.
 * - When a grammar or KaTeX arrives, what is shown renders again a window per budgeted update,
 *   the blocks shown before standing in for the rest, so a long answer has no long task then.
 */
import type { Token, Tokens, TokensList } from 'marked';
import { CodeChunker } from './code.ts';
import { ItemParts } from './items.ts';
import {
	assemble,
	BIG_ITEM,
	createEngine,
	isClosedFence,
	normalise,
	type Engine,
	type Kept,
	type RenderOptions,
	type Rendered
} from './render.ts';

export { assemble };

/**
 * One top-level block as the view gets it: plain data (it crosses to and from a Worker). With
 * `parts`, `html` is a shell holding them at `slot` (see `assemble`); a part keeps its key
 * while its html is the same, so the view touches only the parts that changed.
 */
export interface Block extends Rendered {
	key: string;
}

interface Stable extends Block {
	raw: string;
	/** The reference labels the block's text could use: a late definition of one renders it again. */
	labels: Set<string>;
}

/**
 * An open block is lexed again once it has grown by this share since its last rendering: at 1
 * (doubled) the renderings before the last sum to at most twice the final one.
 */
const GROWTH = 1;
/** An open tail shorter than this is lexed again on every update: it costs little. */
const SMALL = 512;
/** Time one update may spend finishing blocks before it shows the rest on the next frame. */
const TIME_BUDGET_MS = 8;
/** How much of a burst into a list or table in parts is read at a time (a few dozen items). */
const ITEM_WINDOW = 2048;

/** A top-level fence still open: its lines are read here, never lexed again. */
interface OpenFence {
	/** Where the fence's first line starts in the text, and where its content starts. */
	start: number;
	/** The opening run (``` or ~~~ and more), which a closing line must repeat. */
	fence: string;
	/** Indentation of a ``` opener, taken off every line as marked does. */
	indent: number;
	info: string | undefined;
	/** The open blocks before it in the tail: nothing after can change them. */
	before: Block[];
	/** Where the next line to read starts, and the content's finished lines as marked gives them. */
	scanned: number;
	code: string;
	/**
	 * Where the last finished line starts: the text before it is sure, the newline after it
	 * is not (the newline before a closing fence belongs to the fence).
	 */
	sure: number;
}

export class StreamingRenderer {
	#engine: Engine;
	#stable: Stable[] = [];
	/** The finished blocks before the last restart: those that render the same keep their key. */
	#previous: Stable[] = [];
	/** Length of the (normalised) text the stable blocks cover. */
	#stableEnd = 0;
	/** Definitions inside finished blocks: the tail is lexed knowing them. */
	#links: TokensList['links'] = Object.create(null) as TokensList['links'];
	/** Every label seen so far: a new one may change finished blocks that used it. */
	#seen = new Map<string, string>();
	#text = '';
	#next = 0;
	/** Block html by position, so keys survive re-rendering when nothing changed. */
	#tailKeys: Block[] = [];
	/** The open tail's tokens at the last lex, where that lex ended, and any open fence. */
	#open: Token[] = [];
	#lexedTo = 0;
	#fence: OpenFence | undefined;
	/** What the tail's blocks in parts keep, by where they start: their next render reuses it. */
	#kept = new Map<number, Kept>();
	/** A list or table that ends the tail, read an item at a time (see `#openItems`). */
	#items: OpenItems | undefined;
	/** How far the text has been searched for a blank line since the last lex. */
	#scanned = 0;
	#now: () => number;
	#timeBudget: number;
	/** How often a late reference definition forced a full restart (tests read it). */
	resets = 0;

	#opts: RenderOptions;

	constructor(
		opts: RenderOptions & {
			/** Milliseconds one update may spend finishing blocks, and its clock (tests pass one). */
			timeBudget?: number;
			now?: () => number;
		} = {}
	) {
		this.#opts = opts;
		this.#timeBudget = opts.timeBudget ?? TIME_BUDGET_MS;
		this.#now = opts.now ?? (() => performance.now());
		this.#engine = this.#createEngine();
	}

	#createEngine(): Engine {
		const onInvalidate = this.#opts.onInvalidate;
		return createEngine({
			...this.#opts,
			onInvalidate: () => {
				// A grammar or KaTeX arrived: stable blocks rendered without it must render again,
				// a budgeted update at a time, the blocks shown so far standing in for the rest.
				this.#stale = this.#last;
				this.#restart();
				onInvalidate?.();
			}
		});
	}

	/**
	 * The translated labels (the code block's Copy button, the remote-image placeholder) after a
	 * language switch: the next update renders every block again with them. Blocks without a
	 * label render the same and keep their keys, so their DOM is untouched.
	 */
	setLabels(labels: Pick<RenderOptions, 'copyLabel' | 'loadImageLabel'>): void {
		const same = (['copyLabel', 'loadImageLabel'] as const).every(
			(k) => !(k in labels) || labels[k] === this.#opts[k]
		);
		if (same) return;
		this.#opts = { ...this.#opts, ...labels };
		this.#engine = this.#createEngine();
		this.#restart();
	}

	#restart(): void {
		if (this.#stable.length > 0) this.#previous = this.#stable;
		this.#stable = [];
		this.#stableEnd = 0;
		this.#links = Object.create(null) as TokensList['links'];
		this.#seen.clear();
		this.#text = '';
		this.#open = [];
		this.#lexedTo = 0;
		this.#fence = undefined;
		this.#kept.clear();
		this.#items = undefined;
		this.#pending = undefined;
	}

	#key(): string {
		return `b${this.#next++}`;
	}

	/**
	 * Keeps a block's key when its html at that position has not changed: the same object when
	 * its parts have not either, the same key with the new parts (the view redoes those) if so.
	 */
	#keyed(rendered: Rendered, i: number): Block {
		const old = this.#tailKeys[i];
		if (!old || old.html !== rendered.html) return { key: this.#key(), ...rendered };
		return sameParts(old, rendered) ? old : { ...rendered, key: old.key };
	}

	/** Renders a top-level token at `offset`, reusing the parts it kept from last time. */
	#render(token: Token, offset: number, open: boolean): Rendered {
		const { kept, ...rendered } = this.#engine.block(token, open, this.#kept.get(offset));
		if (kept) this.#kept.set(offset, kept);
		return rendered;
	}

	/** How many leading blocks are finished: kept as they are until a restart (tests read it). */
	get finished(): number {
		return this.#stable.length;
	}

	/** True when the last update rendered only part of the text (see `budget`). */
	behind = false;
	/** How much text the last update showed: kept through a restart, so the view never shrinks. */
	#shown = 0;

	/**
	 * `budget` caps how many new characters one update takes in: when a whole answer lands in
	 * one frame, it is shown over a few frames instead of in one long task. With a budget, the
	 * update also stops finishing blocks once its time budget is spent (`behind` then too).
	 */
	update(input: string, budget = Infinity): Block[] {
		return (this.#last = this.#advance(input, budget, true));
	}

	/** What the last update or finish returned: what the view shows. */
	#last: Block[] = [];
	/**
	 * After a grammar or KaTeX arrived, the blocks shown before it: a budgeted update renders
	 * the text again a window at a time and shows these for what it has not reached yet, so the
	 * re-render of a long answer is spread over frames instead of one long task.
	 */
	#stale: Block[] | undefined;

	/** `growing`: more text may follow, so a definition on the unfinished last line waits. */
	#advance(input: string, budget: number, growing: boolean): Block[] {
		const full = normalise(input);
		// Not an extension of what we had (an edit, a regenerate): start over.
		if (!full.startsWith(this.#text.slice(0, this.#stableEnd))) {
			this.#stale = undefined;
			this.#restart();
			this.#shown = 0;
		}
		const shownBefore = this.#shown;
		// The budget counts from what the last update showed, so every update moves on even
		// when no block finishes inside the window.
		const text = full.slice(0, this.#shown + budget);
		this.behind = text.length < full.length;
		this.#shown = text.length;
		this.#text = text;
		// Rendering again after a grammar arrived, with a budget: one window of the text at a time.
		const catchingUp = this.#stale !== undefined && growing && budget !== Infinity;
		if (!catchingUp) this.#stale = undefined;
		if (growing && !catchingUp) {
			const quick =
				this.#openFence(text) ??
				this.#openItems(text, true, budget !== Infinity) ??
				this.#deferred(text);
			if (quick) return quick;
		}
		// The end of a long list or table: its last item closed, not the whole block lexed again.
		const closed = growing ? undefined : this.#openItems(text, false);
		if (closed) return closed;
		const end = catchingUp ? Math.min(text.length, this.#stableEnd + budget) : text.length;
		const tail = text.slice(this.#stableEnd, end);
		const tokens = this.#engine.lex(tail, this.#links, growing);
		this.#lexedTo = this.#scanned = text.length;
		const fresh = this.#newDefinitions(tokens);
		// Kept list items may use a new definition: their blocks render their items again.
		if (fresh.size > 0)
			for (const [at, kept] of this.#kept) if (kept instanceof ItemParts) this.#kept.delete(at);
		// A late definition may turn text in finished blocks into links: those render again.
		if (fresh.size > 0 && this.#stable.length > 0 && !this.#relink(fresh, tokens.links))
			return this.#advance(input, budget, growing);
		// Offsets come from token raws: if they do not add up to the text, finish nothing.
		const consistent = tokens.reduce((n, t) => n + t.raw.length, 0) === tail.length;
		const finished = consistent ? finishedCount(tokens) : 0;
		// Only an update given a budget is also limited in time: the view passes one.
		const limited = growing && budget !== Infinity;
		const deadline = this.#now() + this.#timeBudget;
		for (let i = 0; i < finished; i++) {
			// Out of time, and past what the view already shows: the rest waits for the next frame.
			if (limited && (catchingUp || this.#stableEnd >= shownBefore) && this.#now() > deadline)
				return this.#pause(catchingUp);
			const token = tokens[i] as Token;
			this.#stable.push(this.#finished(token));
			this.#stableEnd += token.raw.length;
			this.#addDefinitions(token);
		}
		for (const at of this.#kept.keys()) if (at < this.#stableEnd) this.#kept.delete(at);
		// The window ended before the text: the rest waits for the next update.
		if (catchingUp && end < text.length) return this.#pause(true);
		this.#stale = undefined;
		const open = tokens.slice(finished);
		this.#open = open;
		let at = this.#stableEnd;
		const tailBlocks = open.map((t, i) => {
			const block = this.#keyed(this.#render(t, at, growing && i === open.length - 1), i);
			at += t.raw.length;
			return block;
		});
		this.#tailKeys = tailBlocks;
		this.#items = undefined;
		if (growing && consistent) {
			this.#enterFence(open, tailBlocks);
			this.#enterItems(open, tailBlocks, tokens.links);
		}
		return [...this.#stable, ...tailBlocks];
	}

	/**
	 * Stops an update early: the finished blocks so far, then (catching up after a grammar
	 * arrived) the blocks shown before it for the text not rendered again yet.
	 */
	#pause(catchingUp: boolean): Block[] {
		this.behind = true;
		this.#open = [];
		this.#tailKeys = [];
		this.#items = undefined;
		this.#lexedTo = 0;
		if (!catchingUp || !this.#stale) {
			this.#shown = this.#stableEnd;
			return [...this.#stable];
		}
		return [...this.#stable, ...this.#stale.slice(this.#stable.length)];
	}

	/**
	 * The stream ended. The blocks so far already equal a one-shot render (the CommonMark
	 * corpus test proves it), so only the tail renders again, now closed: its code gets
	 * highlighted, and a definition on the last line counts (rendering again the finished
	 * blocks that use it). No full re-parse, so the end of a long answer is no long task.
	 */
	finish(input: string): Block[] {
		this.#stale = undefined;
		return (this.#last = this.#advance(input, Infinity, false));
	}

	/**
	 * While the tail ends in an open fence, an update only reads the new lines: a closing
	 * line hands back to lexing (once), anything else is code. Undefined: lex as usual.
	 */
	#openFence(text: string): Block[] | undefined {
		const f = this.#fence;
		if (!f || !this.#readLines(f, text)) return undefined;
		const last = text.slice(f.scanned);
		// A last line that may be the closing fence: marked decides, as at the end.
		if (closes(last, f.fence)) return undefined;
		const code = this.#fenceCode(f);
		const chunker = this.#kept.get(f.start);
		const { kept, ...rendered } = this.#engine.code(
			f.info,
			code,
			false,
			chunker instanceof CodeChunker ? chunker : undefined,
			f.sure
		);
		if (kept) this.#kept.set(f.start, kept);
		const block = this.#keyed(rendered, f.before.length);
		this.#tailKeys = [...f.before, block];
		return [...this.#stable, ...this.#tailKeys];
	}

	/** Takes in the fence's new finished lines; false when one closes it. */
	#readLines(f: OpenFence, text: string): boolean {
		let at = f.scanned;
		for (let nl = text.indexOf('\n', at); nl >= 0; nl = text.indexOf('\n', at)) {
			const line = text.slice(at, nl);
			if (closes(line, f.fence)) {
				this.#fence = undefined;
				return false;
			}
			f.sure = f.code.length;
			f.code += uncompensated(line, f.indent) + '\n';
			at = nl + 1;
		}
		f.scanned = at;
		return true;
	}

	/** Starts reading an open fence that ends the tail line by line (see `#openFence`). */
	#enterFence(open: Token[], blocks: Block[]): void {
		this.#fence = undefined;
		const last = open.at(-1) as Tokens.Code | undefined;
		if (last?.type !== 'code' || last.codeBlockStyle === 'indented' || isClosedFence(last.raw))
			return;
		const opener = /^ {0,3}(`{3,}|~{3,})[^\n]*\n/.exec(last.raw);
		// Until its first line has ended the info string may still change: lex again.
		if (!opener) return;
		const start = this.#text.length - last.raw.length;
		const fence: OpenFence = {
			start,
			fence: opener[1] as string,
			indent: /^(\s+)(?:```)/.exec(last.raw)?.[1]?.length ?? 0,
			info: last.lang,
			before: blocks.slice(0, -1),
			scanned: start + opener[0].length,
			code: '',
			sure: 0
		};
		if (!this.#readLines(fence, this.#text)) return;
		this.#fence = fence;
		// The chunks cut from marked's text must fit the text read here, or start afresh.
		const kept = this.#kept.get(start);
		if (kept instanceof CodeChunker && !kept.fits(this.#fenceCode(fence))) this.#kept.delete(start);
	}

	/**
	 * Starts reading a list or table in parts that ends the tail an item at a time (see
	 * `#openItems`): where its open last item starts, and what to lex before it.
	 */
	#enterItems(open: Token[], blocks: Block[], links: TokensList['links']): void {
		let i = open.length - 1;
		while (i > 0 && open[i]?.type === 'space') i--;
		const token = open[i];
		if (!blocks[i]?.parts || (token?.type !== 'list' && token?.type !== 'table')) return;
		const start = this.#text.length - open.slice(i).reduce((n, t) => n + t.raw.length, 0);
		const lines = itemLines(token as Tokens.List | Tokens.Table);
		if (!lines || lines.items.length === 0) return;
		const first = lines.items.length - 1;
		const from = start + lines.head.length + lines.items.slice(0, -1).join('').length;
		if (!this.#text.startsWith(lines.items[first] as string, from)) return;
		this.#items = {
			start,
			from,
			first,
			prefix: token.type === 'table' ? lines.head : looseOpener(token as Tokens.List),
			token: token as Tokens.List | Tokens.Table,
			before: blocks.slice(0, i),
			links: { ...links }
		};
	}

	/**
	 * While the tail ends in a list or table in parts, an update lexes only its open last item
	 * (after what makes it lex as in place) and renders it, and the items that finished. When
	 * the item ends the block or changes the block's shape, undefined: lex as usual. Not
	 * `growing`: the text has ended, so the last item renders closed. `limited`: a burst of
	 * items (the view fell behind, or a long answer opened) is taken in windows until the
	 * update's time is spent, the rest on the next frame, not in one long task.
	 */
	#openItems(text: string, growing: boolean, limited = false): Block[] | undefined {
		const o = this.#items;
		if (!o || !limited) return this.#readItems(text, growing);
		const deadline = this.#now() + this.#timeBudget;
		for (;;) {
			const window = text.lastIndexOf('\n', o.from + ITEM_WINDOW) + 1;
			if (window <= o.from || window >= text.length) return this.#readItems(text, growing);
			const from = o.from;
			const shown = this.#readItems(text.slice(0, window), growing);
			// A window that does not read as the same block: the text is lexed as usual.
			if (!shown) return undefined;
			// No item finished inside the window (what is left is one item and a bit): read it
			// all, or the same window would be read again until the time is spent.
			if (o.from === from) return this.#readItems(text, growing);
			if (this.#now() <= deadline) continue;
			this.behind = true;
			this.#shown = window;
			this.#text = text.slice(0, window);
			return shown;
		}
	}

	/** The open list or table up to the end of `text` (see `#openItems`). */
	#readItems(text: string, growing: boolean): Block[] | undefined {
		const o = this.#items;
		// A long item renders whole, and again only once it has doubled (see #deferred).
		if (!o || text.length - o.from > BIG_ITEM) return undefined;
		const src = o.prefix + text.slice(o.from);
		const tokens = this.#engine.lex(src, o.links, growing);
		const [token, ...after] = tokens;
		if (
			token?.type !== o.token.type ||
			after.some((t) => t.type !== 'space') ||
			tokens.reduce((n, t) => n + t.raw.length, 0) !== src.length ||
			!sameLinks(tokens.links, o.links)
		)
			return undefined;
		const block = withItems(o, token as Tokens.List | Tokens.Table);
		const lines = block && itemLines(block);
		if (!block || !lines || lines.items.length === 0) return undefined;
		const rendered = this.#engine.items(block, growing, this.#kept.get(o.start), o.first);
		if (!rendered) return undefined;
		const { kept, ...shown } = rendered;
		this.#kept.set(o.start, kept);
		o.from += lines.items.slice(0, -1).join('').length;
		o.first += lines.items.length - 1;
		this.#tailKeys = [...o.before, this.#keyed(shown, o.before.length)];
		return [...this.#stable, ...this.#tailKeys];
	}

	/** The open fence's code so far, as marked gives an open fence's text. */
	#fenceCode(f: OpenFence): string {
		const last = this.#text.slice(f.scanned);
		return last ? f.code + uncompensated(last, f.indent) : f.code.slice(0, -1);
	}

	/**
	 * An open block that has grown by less than GROWTH since it was last rendered, with no
	 * blank line since: its last rendering and then the new text, escaped. Undefined: lex.
	 */
	#deferred(text: string): Block[] | undefined {
		const last = this.#tailKeys.at(-1);
		const token = this.#open.at(-1);
		if (!last || !token || this.#lexedTo === 0 || last.parts || token.type === 'code') return;
		// The block's own size: an open list before it (lists finish late) is no reason to wait
		// for it to double, which would show a table after a long list as escaped text.
		const start = this.#lexedTo - token.raw.length;
		const size = token.raw.length;
		if (size < SMALL || text.length - start >= size * (1 + GROWTH)) return;
		// A blank line may have ended the block (and more may follow): lex now. Only the new
		// text is searched (and a little before it, for a blank line across the boundary).
		const from = Math.max(this.#lexedTo - 1, this.#scanned - 64, start);
		this.#scanned = text.length;
		if (/\n[ \t]*\n/.test(text.slice(from))) return;
		// The last rendering once as a shell, the new text appended as escaped parts: each
		// update escapes and inserts only its own text, however long the block.
		let pending = this.#pending;
		if (pending?.of !== last) {
			// Inside the deepest last element (the paragraph, the last item or cell), found among
			// the closing tags at the very end: a bounded look, not a scan of the whole block.
			const end = /(?:<\/[a-z0-9]+>\n?)*$/.exec(last.html.slice(-256))?.[0] ?? '';
			const block = { key: this.#key(), html: last.html, code: last.code, parts: [] };
			pending = {
				of: last,
				to: this.#lexedTo,
				block: { ...block, slot: last.html.length - end.length }
			};
			this.#pending = pending;
		}
		if (text.length > pending.to) {
			const part = { key: this.#key(), html: escape(text.slice(pending.to)) };
			pending.block = { ...pending.block, parts: [...(pending.block.parts ?? []), part] };
			pending.to = text.length;
		}
		return [...this.#stable, ...this.#tailKeys.slice(0, -1), pending.block];
	}

	/** The open block's last rendering and the text shown after it since (see `#deferred`). */
	#pending: { of: Block; to: number; block: Block } | undefined;

	/**
	 * A finished block; after a restart it is the old object when nothing about it changed. A
	 * block in parts that finishes as the tail showed it keeps its key: its DOM stays.
	 */
	#finished(token: Token): Stable {
		const rendered = this.#render(token, this.#stableEnd, false);
		const old = this.#previous[this.#stable.length];
		if (old && old.raw === token.raw && old.html === rendered.html && sameParts(old, rendered))
			return old;
		const shown = rendered.parts?.length
			? this.#tailKeys.find((b) => b.html === rendered.html && sameParts(b, rendered))
			: undefined;
		return { key: shown?.key ?? this.#key(), ...rendered, raw: token.raw, labels: labelsOf(token) };
	}

	/** The labels defined so far that are new or changed. */
	#newDefinitions(tokens: TokensList): Set<string> {
		const fresh = new Set<string>();
		for (const [label, link] of Object.entries(tokens.links)) {
			// A definition still being typed changes as it grows: that counts as new too.
			const value = `${link.href}\u0000${link.title ?? ''}`;
			if (this.#seen.get(label) === value) continue;
			this.#seen.set(label, value);
			fresh.add(foldLabel(label));
		}
		return fresh;
	}

	/**
	 * Renders again the finished blocks that mention a label in `fresh`, knowing `links`. False
	 * when one of them does not lex alone as it did in place: then everything starts over.
	 */
	#relink(fresh: Set<string>, links: TokensList['links']): boolean {
		const stable = [...this.#stable];
		for (const [i, block] of stable.entries()) {
			if (![...fresh].some((l) => block.labels.has(l))) continue;
			const tokens = this.#engine.lex(block.raw, links).filter((t) => t.type !== 'space');
			const token = tokens[0];
			if (tokens.length !== 1 || !token || token.type === 'code') return this.#startOver();
			const { html, code, parts, slot } = this.#engine.block(token);
			const rendered: Rendered = { html, code, ...(parts && { parts, slot }) };
			if (assemble(rendered) !== assemble(block))
				stable[i] = { ...rendered, raw: block.raw, labels: block.labels, key: this.#key() };
		}
		this.#stable = stable;
		return true;
	}

	/** Lexes everything once more, keeping what was seen (or the same definitions count again). */
	#startOver(): false {
		this.resets++;
		const seen = new Map(this.#seen);
		const shown = this.#shown;
		this.#restart();
		for (const [k, v] of seen) this.#seen.set(k, v);
		this.#shown = shown;
		return false;
	}

	/** The definitions in a finished block, in a quote or a list item too: the tail needs them. */
	#addDefinitions(token: Token): void {
		if (token.type === 'def') {
			const def = token as Tokens.Def;
			const label = def.tag.toLowerCase().replace(/\s+/g, ' ');
			if (!(label in this.#links)) this.#links[label] = { href: def.href, title: def.title };
			return;
		}
		const children =
			token.type === 'list' ? (token as Tokens.List).items : (token as Tokens.Generic).tokens;
		for (const child of children ?? []) this.#addDefinitions(child);
	}
}

/**
 * Same parts: a part's key names one html, and parts only change at the end (a block's parts
 * are new ones when it starts over), so the count and the last key are enough.
 */
function sameParts(a: Rendered, b: Rendered): boolean {
	const [p, q] = [a.parts ?? [], b.parts ?? []];
	return p.length === q.length && p.at(-1)?.key === q.at(-1)?.key;
}

/** A top-level list or table still open, read an item at a time (see `#openItems`). */
interface OpenItems {
	/** Where the block starts in the text, and where its open last item (or row) starts. */
	start: number;
	from: number;
	/** How many items come before `from`: finished, their parts kept. */
	first: number;
	/**
	 * What is lexed before the open item so that it lexes as in place: a table's head, or for a
	 * loose list an item and a blank line, so the open item is loose too (that item is dropped).
	 */
	prefix: string;
	/** The block as first lexed whole: its kind, numbering and looseness hold. */
	token: Tokens.List | Tokens.Table;
	/** The open blocks before it in the tail, and the definitions known. */
	before: Block[];
	links: TokensList['links'];
}

/** A list's or table's text by item: a table's head, then each item's (or row's) own. */
function itemLines(
	token: Tokens.List | Tokens.Table
): { head: string; items: string[] } | undefined {
	if (token.type === 'list')
		return { head: '', items: (token as Tokens.List).items.map((i) => i.raw) };
	const lines = token.raw.split(/(?<=\n)/);
	const rows = (token as Tokens.Table).rows.length;
	if (lines.length < rows + 2) return undefined;
	return { head: lines.slice(0, 2).join(''), items: lines.slice(2, rows + 2) };
}

/** A first item and a blank line before a loose list's open item: the list lexes loose. */
function looseOpener(list: Tokens.List): string {
	if (!list.loose) return '';
	const marker = /^ {0,3}([*+-]|\d{1,9}([.)]))/.exec(list.items[0]?.raw ?? '');
	return `${marker?.[2] ? `1${marker[2]}` : (marker?.[1] ?? '-')} x\n\n`;
}

/**
 * The block to render from the open item's lex: the items after the prefix's, in the block as
 * first lexed. Undefined when the item changed its shape (numbering, looseness).
 */
function withItems(
	o: OpenItems,
	token: Tokens.List | Tokens.Table
): Tokens.List | Tokens.Table | undefined {
	if (token.type === 'table') return token;
	const [list, first] = [token as Tokens.List, o.token as Tokens.List];
	if (list.ordered !== first.ordered || list.loose !== first.loose) return undefined;
	if (o.prefix && list.items[0]?.raw !== o.prefix) return undefined;
	return { ...first, items: o.prefix ? list.items.slice(1) : list.items };
}

/** The same definitions: a new or changed one may change kept items. */
function sameLinks(a: TokensList['links'], b: TokensList['links']): boolean {
	const keys = Object.keys(a);
	return (
		keys.length === Object.keys(b).length &&
		keys.every((k) => a[k]?.href === b[k]?.href && a[k]?.title === b[k]?.title)
	);
}

function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** True when `line` closes a fence opened by `fence` (the same run, at least as long). */
function closes(line: string, fence: string): boolean {
	const m = /^ {0,3}(`+|~+) *$/.exec(line);
	return !!m && (m[1] as string)[0] === fence[0] && (m[1] as string).length >= fence.length;
}

/** A content line less the opener's indentation, as marked takes it off. */
function uncompensated(line: string, indent: number): string {
	if (indent === 0) return line;
	const lead = /^\s+/.exec(line)?.[0].length ?? 0;
	return line.slice(Math.min(lead, indent));
}

/** A label as compared here: case and all whitespace folded, so no use is missed. */
function foldLabel(label: string): string {
	return label.replace(/\s+/g, '').toLowerCase().toUpperCase().toLowerCase();
}

/** Every bracketed text in a block: the labels it may use once they are defined. */
function labelsOf(token: Token): Set<string> {
	const labels = new Set<string>();
	if (token.type === 'code') return labels;
	for (const m of token.raw.matchAll(/\[((?:\\.|[^[\]\\])*)\]/g)) labels.add(foldLabel(m[1] ?? ''));
	return labels;
}

/**
 * How many leading tokens are finished: a block is, once a blank line and then another block
 * follow it. The last non-space token is always open: it may still grow.
 */
function finishedCount(tokens: TokensList): number {
	const content: number[] = [];
	tokens.forEach((t, i) => t.type !== 'space' && content.push(i));
	for (let c = content.length - 2; c >= 0; c--) {
		const i = content[c] as number;
		const next = content[c + 1] as number;
		const raw = (tokens[i] as Token).raw;
		let gap = raw.slice(raw.trimEnd().length);
		for (let j = i + 1; j < next; j++) gap += (tokens[j] as Token).raw;
		if (!/\n[ \t]*\n/.test(gap)) continue;
		// A list or indented code may take the next block in (a loose item, more code) while
		// that block is still being typed: they finish only once the block after them has.
		const t = tokens[i] as Token;
		const absorbs = t.type === 'list' || (t.type === 'code' && t.codeBlockStyle === 'indented');
		if (absorbs && c + 1 === content.length - 1) continue;
		return next;
	}
	return 0;
}
