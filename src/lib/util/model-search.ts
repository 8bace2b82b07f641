/**
 * Searching a gateway's model catalog (hundreds, sometimes hundreds of thousands of ids) for the
 * model picker. Pure: no DOM, no Svelte.
 *
 * - Empty query: the `Recent` group first, then every other id grouped by family; families and
 *   the ids inside them sorted.
 * - A query: every whitespace-separated word must match each id, case-insensitively, as a
 *   substring or else as a subsequence. Ranked exact > prefix > substring at a word start
 *   (after `/`, `-`, `_`, `.`, `:`) > other substring > subsequence with fewer gaps; then shorter
 *   ids, then alphabetical. Matching recent ids still come first as `Recent`; the rest are grouped
 *   by family, groups in the order of their best hit, ids in rank order inside a group.
 */

/** The label of the group of recently used ids; families are never spelled this way. */
export const RECENT_GROUP = 'Recent';
const O_SERIES = 'OpenAI o-series';

export interface ModelGroup {
	family: string;
	ids: string[];
}

export interface ModelSearch {
	groups: ModelGroup[];
	/** How many ids matched, of which at most `limit` are in `groups`. */
	total: number;
}

/**
 * The family an id belongs to, for grouping: the vendor before `/` for aggregator ids
 * (`openai/gpt-4o` → `openai`), `OpenAI o-series` for `o1`, `o3-mini`, …, otherwise the leading
 * letters (`gpt-4o` → `gpt`, `qwen2.5-72b` → `qwen`). Lower-cased so `Qwen/` and `qwen/` meet.
 */
export function familyOf(id: string): string {
	const lower = id.trim().toLowerCase();
	const slash = lower.indexOf('/');
	if (slash > 0) return lower.slice(0, slash);
	if (/^o\d/.test(lower)) return O_SERIES;
	return /^[a-z]+/.exec(lower)?.[0] ?? (lower.split(/[-_.:\s]/)[0] || 'other');
}

/** What a catalog costs to search, computed once per array (see `indexOf`). */
interface Index {
	ids: string[];
	lower: string[];
	family: string[];
	/** Family, then id: the browsing order; built on the first empty query. */
	browseKey: string[];
	/** The last query's words joined by a space, and the positions in `ids` that matched it. */
	last?: { key: string; hits: number[] };
	/** While the index is being built: how much of the catalog was read, and the ids seen. */
	read: number;
	seen?: Set<string>;
}

/** Ids handled between two chances to yield of `searchSteps`: well under a millisecond. */
const SLICE = 512;
/** Work between two yields to the page in `searchModelsSliced`. */
const SLICE_MS = 8;

// Keyed by the array itself: the caller's catalog is replaced, not mutated, when it changes, so
// typing re-scans lower-cased copies instead of lower-casing 200,000 strings per keystroke.
const indexes = new WeakMap<readonly string[], Index>();

/**
 * The catalog's index, built a slice at a time (a yield after each), duplicates and empty ids
 * left out. A search given up half-way leaves what it built for the next one, so quick typing
 * still gets to the end.
 */
function* indexOf(catalog: readonly string[]): Generator<void, Index> {
	let index = indexes.get(catalog);
	if (!index) {
		index = { ids: [], lower: [], family: [], browseKey: [], read: 0, seen: new Set() };
		indexes.set(catalog, index);
	}
	const { ids, lower, family, seen } = index;
	while (seen && index.read < catalog.length) {
		const id = catalog[index.read++] ?? '';
		if (id !== '' && !seen.has(id)) {
			seen.add(id);
			ids.push(id);
			lower.push(id.toLowerCase());
			family.push(familyOf(id));
		}
		if (index.read % SLICE === 0) yield;
	}
	index.seen = undefined;
	return index;
}

/** Family, then id, for every id: the browsing order; built (in slices) on the first browse. */
function* browseKeyOf(index: Index): Generator<void, string[]> {
	const { ids, lower, family, browseKey: keys } = index;
	while (keys.length < ids.length) {
		const i = keys.length;
		keys.push(`${(family[i] ?? '').toLowerCase()}\0${lower[i] ?? ''}\0${ids[i]}`);
		if (keys.length % SLICE === 0) yield;
	}
	return keys;
}

const BOUNDARY = new Set(['/', '-', '_', '.', ':', ' ']);
// Tier weights dwarf gap counts, and both dwarf id lengths (ids stay far below 1,000 chars).
const TIER = 1_000_000;
const GAP = 1_000;

/** Lower is better; -1: no match. `word` and `text` are lower-cased. */
function scoreWord(text: string, word: string): number {
	// The name after an aggregator's `vendor/` counts as the whole id.
	const tail = text.lastIndexOf('/') + 1;
	if (text.startsWith(word, tail)) return text.length - tail === word.length ? 0 : TIER;
	if (text === word) return 0;
	if (text.startsWith(word)) return TIER;
	const at = text.indexOf(word);
	if (at >= 0) {
		for (let i = at; i >= 0; i = text.indexOf(word, i + 1))
			if (BOUNDARY.has(text[i - 1] ?? '')) return 2 * TIER;
		return 3 * TIER;
	}
	// Greedy leftmost subsequence; a gap is a jump between two matched characters.
	let gaps = 0;
	let last = -1;
	for (const ch of word) {
		const next = text.indexOf(ch, last + 1);
		if (next < 0) return -1;
		if (last >= 0 && next > last + 1) gaps++;
		last = next;
	}
	return 4 * TIER + Math.min(gaps, TIER / GAP - 1) * GAP;
}

function scoreOf(text: string, words: readonly string[]): number {
	let score = 0;
	for (const word of words) {
		const s = scoreWord(text, word);
		if (s < 0) return -1;
		score += s;
	}
	return score + Math.min(text.length, GAP - 1);
}

interface Hit {
	score: number;
	/** Breaks ties of score. */
	key: string;
	id: string;
	family: string;
}

/** a ranks before b. */
const before = (a: Hit, b: Hit) => a.score < b.score || (a.score === b.score && a.key < b.key);

/**
 * Keeps the best `limit` hits in a max-heap (the worst kept on top), so ranking a query that
 * matches all 200,000 ids costs n·log(limit), not a sort of every match.
 */
class Best {
	#heap: Hit[] = [];
	#limit: number;
	constructor(limit: number) {
		this.#limit = limit;
	}

	/** Hits that would be dropped at once are not even allocated. */
	add(score: number, key: string, id: string, family: string): void {
		const h = this.#heap;
		const top = h[0];
		if (h.length >= this.#limit && !(top && before({ score, key, id, family }, top))) return;
		const hit = { score, key, id, family };
		if (h.length < this.#limit) {
			h.push(hit);
			let i = h.length - 1;
			while (i > 0) {
				const parent = (i - 1) >> 1;
				const p = h[parent] as Hit;
				if (!before(p, hit)) break;
				h[i] = p;
				i = parent;
			}
			h[i] = hit;
		} else {
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				if (l >= h.length) break;
				const r = l + 1;
				const worse = r < h.length && before(h[l] as Hit, h[r] as Hit) ? r : l;
				if (!before(hit, h[worse] as Hit)) break;
				h[i] = h[worse] as Hit;
				i = worse;
			}
			h[i] = hit;
		}
	}

	ranked(): Hit[] {
		return [...this.#heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
	}
}

export function searchModels(
	ids: readonly string[],
	query: string,
	recent: readonly string[],
	limit = 200
): ModelSearch {
	const steps = searchSteps(ids, query, recent, limit);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

/**
 * `searchModels` in slices of a few milliseconds, yielding to the page between them (a big
 * catalog is 200,000 ids): resolves to undefined, having stopped early, once `signal` aborts
 * (the query changed while it ran).
 */
export async function searchModelsSliced(
	ids: readonly string[],
	query: string,
	recent: readonly string[],
	signal: AbortSignal,
	limit = 200
): Promise<ModelSearch | undefined> {
	const steps = searchSteps(ids, query, recent, limit);
	let start = performance.now();
	for (;;) {
		if (signal.aborted) return undefined;
		const step = steps.next();
		if (step.done) return step.value;
		if (performance.now() - start < SLICE_MS) continue;
		await yieldToPage();
		start = performance.now();
	}
}

/** Let input and rendering in: `scheduler.yield` where the browser has it. */
function yieldToPage(): Promise<void> {
	const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
	return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** The search, yielding after every slice of ids. */
function* searchSteps(
	ids: readonly string[],
	query: string,
	recent: readonly string[],
	limit: number
): Generator<void, ModelSearch> {
	const index = yield* indexOf(ids);
	const recentIds = [...new Set(recent)].filter((id) => id !== '');
	const isRecent = new Set(recentIds);
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	const cap = Math.max(0, limit);

	const recentBest = new Best(cap);
	let total = 0;
	for (const [i, id] of recentIds.entries()) {
		const score = words.length ? scoreOf(id.toLowerCase(), words) : i;
		if (score < 0) continue;
		total++;
		recentBest.add(score, id, id, RECENT_GROUP);
	}
	const recentHits = recentBest.ranked();

	const best = new Best(cap - recentHits.length);
	if (words.length === 0) {
		const keys = yield* browseKeyOf(index);
		for (let i = 0; i < index.ids.length; i++) {
			if (i % SLICE === 0) yield;
			const id = index.ids[i] ?? '';
			if (isRecent.has(id)) continue;
			total++;
			best.add(0, keys[i] ?? '', id, index.family[i] ?? '');
		}
	} else {
		// Typing on extends the last query, and an id that fails a query fails every extension of
		// it, so only the last query's hits need scoring again.
		const key = words.join(' ');
		const last = index.last;
		const from = last && key.startsWith(last.key) ? last.hits : undefined;
		const hits: number[] = [];
		const count = from ? from.length : index.ids.length;
		for (let k = 0; k < count; k++) {
			if (k % SLICE === 0) yield;
			const i = from ? (from[k] ?? 0) : k;
			const score = scoreOf(index.lower[i] ?? '', words);
			if (score < 0) continue;
			hits.push(i);
			const id = index.ids[i] ?? '';
			if (isRecent.has(id)) continue;
			total++;
			best.add(score, id, id, index.family[i] ?? '');
		}
		// Only a search that ran to the end may narrow the next one.
		index.last = { key, hits };
	}

	// Families in the order of their best hit; browsing order makes that alphabetical.
	const groups: ModelGroup[] = recentHits.length
		? [{ family: RECENT_GROUP, ids: recentHits.map((h) => h.id) }]
		: [];
	const byFamily = new Map<string, ModelGroup>();
	for (const { id, family } of best.ranked()) {
		let group = byFamily.get(family);
		if (!group) {
			group = { family, ids: [] };
			byFamily.set(family, group);
			groups.push(group);
		}
		group.ids.push(id);
	}
	return { groups, total };
}
