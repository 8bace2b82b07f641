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
 */
import type { Token, Tokens, TokensList } from 'marked';
import {
	createEngine,
	normalise,
	type Engine,
	type RenderOptions,
	type Rendered
} from './render.ts';

export interface Block extends Rendered {
	key: string;
}

interface Stable extends Block {
	raw: string;
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
	/** How often a late reference definition forced a full restart (tests read it). */
	resets = 0;

	#opts: RenderOptions;

	constructor(opts: RenderOptions = {}) {
		this.#opts = opts;
		this.#engine = this.#createEngine();
	}

	#createEngine(): Engine {
		const onInvalidate = this.#opts.onInvalidate;
		return createEngine({
			...this.#opts,
			onInvalidate: () => {
				// A grammar or KaTeX arrived: stable blocks rendered without it must render again.
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
	}

	#key(): string {
		return `b${this.#next++}`;
	}

	/** Keeps a block's key when its html at that position has not changed. */
	#keyed(rendered: Rendered, i: number): Block {
		const old = this.#tailKeys[i];
		return old && old.html === rendered.html ? old : { key: this.#key(), ...rendered };
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
	 * one frame, it is shown over a few frames instead of in one long task.
	 */
	update(input: string, budget = Infinity): Block[] {
		return this.#advance(input, budget, true);
	}

	/** `growing`: more text may follow, so a definition on the unfinished last line waits. */
	#advance(input: string, budget: number, growing: boolean): Block[] {
		const full = normalise(input);
		// Not an extension of what we had (an edit, a regenerate): start over.
		if (!full.startsWith(this.#text.slice(0, this.#stableEnd))) {
			this.#restart();
			this.#shown = 0;
		}
		// The budget counts from what the last update showed, so every update moves on even
		// when no block finishes inside the window.
		const text = full.slice(0, this.#shown + budget);
		this.behind = text.length < full.length;
		this.#shown = text.length;
		this.#text = text;
		let tail = text.slice(this.#stableEnd);
		let tokens = this.#engine.lex(tail, this.#links, growing);
		if (this.#newDefinition(tokens)) {
			// A late definition may turn text in finished blocks into links: lex it all once more.
			this.resets++;
			const seen = new Map(this.#seen);
			this.#restart();
			// Keep what was seen, or the next update would count the same definitions as new again.
			for (const [k, v] of seen) this.#seen.set(k, v);
			this.#text = tail = text;
			tokens = this.#engine.lex(tail, undefined, growing);
		}
		// Offsets come from token raws: if they do not add up to the text, finish nothing.
		const consistent = tokens.reduce((n, t) => n + t.raw.length, 0) === tail.length;
		const finished = consistent ? finishedCount(tokens) : 0;
		for (let i = 0; i < finished; i++) {
			const token = tokens[i] as Token;
			this.#stable.push(this.#finished(token));
			this.#stableEnd += token.raw.length;
			this.#addDefinitions(token);
		}
		const open = tokens.slice(finished);
		const tailBlocks = open.map((t, i) =>
			this.#keyed(this.#engine.block(t, i === open.length - 1), i)
		);
		this.#tailKeys = tailBlocks;
		return [...this.#stable, ...tailBlocks];
	}

	/**
	 * The stream ended. The blocks so far already equal a one-shot render (the CommonMark
	 * corpus test proves it), so only the tail renders again, now closed: its code gets
	 * highlighted, and a definition on the last line counts (starting over once if finished
	 * blocks use it). No full re-parse otherwise, so the end of a long answer is no long task.
	 */
	finish(input: string): Block[] {
		const blocks = this.#advance(input, Infinity, false);
		const tail = this.#engine.lex(this.#text.slice(this.#stableEnd), this.#links);
		const closed = tail.map((t, i) => this.#keyed(this.#engine.block(t), i));
		this.#tailKeys = closed;
		return [...blocks.slice(0, blocks.length - closed.length), ...closed];
	}

	/** A finished block; after a restart it is the old object when nothing about it changed. */
	#finished(token: Token): Stable {
		const rendered = this.#engine.block(token);
		const old = this.#previous[this.#stable.length];
		return old && old.raw === token.raw && old.html === rendered.html
			? old
			: { key: this.#key(), ...rendered, raw: token.raw };
	}

	/** Records the labels defined so far; true when one is new and finished blocks exist. */
	#newDefinition(tokens: TokensList): boolean {
		let fresh = false;
		for (const [label, link] of Object.entries(tokens.links)) {
			// A definition still being typed changes as it grows: that counts as new too.
			const value = `${link.href}\u0000${link.title ?? ''}`;
			if (this.#seen.get(label) === value) continue;
			this.#seen.set(label, value);
			fresh = true;
		}
		return fresh && this.#stable.length > 0;
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
