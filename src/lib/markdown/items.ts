/**
 * A top-level list or table as parts, so streaming a long one costs in proportion to its length:
 * each list item (or body row) is rendered and sanitised once it is finished and kept, and only
 * the open last one is rendered again. The shell (`<ul>`, `<ol start>`, the table's head) comes
 * once; the parts go into it, `<li>` and `<tr>` as its direct children.
 *
 * An item is rendered alone, inside the element it belongs to, so its HTML is what marked gives
 * it inside the whole list. That holds only for marked's own balanced markup: an item holding
 * raw HTML (which may close or open elements across items) is refused, and the block renders
 * whole as before.
 */
import type { Part } from './code.ts';

/** One item as the renderer needs it: the text it came from and its token. */
export interface Item<T> {
	raw: string;
	token: T;
}

export interface ItemsOptions<T> {
	/**
	 * One item's sanitised HTML and its code blocks' texts, their Copy buttons numbered from
	 * `codeBase`; undefined when it cannot stand alone (it holds raw HTML).
	 */
	render: (
		item: T,
		open: boolean,
		codeBase: number
	) => { html: string; code: string[] } | undefined;
}

let serial = 0;

/**
 * The finished items of one list or table, rendered once. Kept while the block's shell (its
 * kind, start number, looseness, head) stays the same: `shape` names it.
 */
export class ItemParts<T> {
	readonly shape: string;
	readonly shell: { html: string; slot: number };
	#opts: ItemsOptions<T>;
	/** Part keys are unique to this block's items: `i${id}.…`. */
	#id = serial++;
	#next = 0;
	#raws: string[] = [];
	#parts: Part[] = [];
	/** The code texts of the kept items, in order, and where each item's begin. */
	#code: string[] = [];
	#codeAt: number[] = [];
	#last: Part | undefined;

	constructor(shape: string, shell: { html: string; slot: number }, opts: ItemsOptions<T>) {
		this.shape = shape;
		this.shell = shell;
		this.#opts = opts;
	}

	#key(): string {
		return `i${this.#id}.${this.#next++}`;
	}

	/**
	 * The parts for a block whose items from `first` on are `items` (those before were given
	 * earlier and are kept). `open`: the last item may still grow, so it is not kept. Undefined
	 * when an item cannot stand alone.
	 */
	parts(
		items: Item<T>[],
		first: number,
		open: boolean
	): { parts: Part[]; code: string[] } | undefined {
		if (first > this.#raws.length) return undefined;
		const kept = open ? items.length - 1 : items.length;
		// Keep what was rendered from the same text, but never an open item (the last one, kept
		// when the block was closed, opens again if more text comes): from there, render again.
		let same = first;
		const end = Math.min(this.#raws.length, first + kept);
		while (same < end && this.#raws[same] === items[same - first]?.raw) same++;
		if (same < this.#raws.length) this.#truncate(same);
		for (let i = same - first; i < kept; i++) {
			const item = items[i] as Item<T>;
			const done = this.#opts.render(item.token, false, this.#code.length);
			if (!done) return undefined;
			// The open item's part, if it ended as shown, moves over with its key: the view keeps it.
			const part =
				this.#last?.html === done.html ? this.#last : { key: this.#key(), html: done.html };
			this.#last = undefined;
			this.#raws.push(item.raw);
			this.#parts.push(part);
			this.#codeAt.push(this.#code.length);
			this.#code.push(...done.code);
		}
		if (!open || items.length === 0) return { parts: [...this.#parts], code: [...this.#code] };
		const last = this.#opts.render((items.at(-1) as Item<T>).token, true, this.#code.length);
		if (!last) return undefined;
		if (this.#last?.html !== last.html) this.#last = { key: this.#key(), html: last.html };
		return { parts: [...this.#parts, this.#last], code: [...this.#code, ...last.code] };
	}

	/** How many items are kept: a later render may start there. */
	get kept(): number {
		return this.#raws.length;
	}

	#truncate(at: number): void {
		// The last item reopened: its part is what it shows until its html changes.
		this.#last = at === this.#parts.length - 1 ? this.#parts[at] : undefined;
		this.#raws.length = at;
		this.#parts.length = at;
		this.#code.length = this.#codeAt[at] ?? this.#code.length;
		this.#codeAt.length = at;
	}
}
