/**
 * Untrusted HTML → safe HTML, one block at a time, synchronously. The browser's built-in
 * sanitiser where it exists, parsing into one reused inert document (no Document per block);
 * elsewhere DOMPurify, loaded on demand, so the entry bundle does not carry it for browsers that
 * need none. Both parse where nothing is fetched or run, under the same policy
 * (sanitize-policy.ts). Await `sanitizerReady()` once before the first render.
 */
import { hasNativeSanitizer, createNativeSanitizer } from './sanitize-native.ts';
import type { RenderOptions } from './render.ts';

/** The safe form of `html` as the children of an element of an inert document. */
type Engine = (html: string, opts: RenderOptions) => Element;

let engine: Engine | undefined;
let ready: Promise<void> | undefined;

/** The element every block is parsed into, in a document that has no window. */
function inertBox(): Element {
	return document.implementation.createHTMLDocument('').createElement('div');
}

/**
 * Resolves once `sanitize()` may be called: at once with the built-in sanitiser, after
 * DOMPurify's import otherwise.
 */
export function sanitizerReady(): Promise<void> {
	ready ??= hasNativeSanitizer()
		? Promise.resolve().then(() => void (engine ??= createNativeSanitizer(inertBox())))
		: import('./sanitize-purify.ts').then((m) => {
				engine = m.createPurifier(window);
			});
	return ready;
}

function current(): Engine {
	if (!engine && hasNativeSanitizer()) engine = createNativeSanitizer(inertBox());
	if (!engine)
		throw new Error(
			typeof document === 'undefined'
				? 'sanitize() needs a DOM: pass RenderOptions.sanitize outside the browser'
				: 'sanitize() before sanitizerReady() resolved: await it once before rendering'
		);
	return engine;
}

/** Safe HTML of one block; `opts` supplies the page origin and the placeholder's label. */
export function sanitize(html: string, opts: RenderOptions = {}): string {
	const box = current()(html, opts);
	const safe = box.innerHTML;
	keep(safe, box);
	return safe;
}

/**
 * Safe HTML of `html` as the content of the elements in `path` (`['ul']`, `['table', 'tbody']`):
 * a part of a block, sanitised where it goes. Its nodes are kept for `parsedNodes` as a block's
 * are. Undefined when the content does not stay inside them.
 */
export function sanitizeInside(
	html: string,
	path: readonly string[],
	opts: RenderOptions = {}
): string | undefined {
	let inner: Element = current()(wrap(html, path), opts);
	for (const tag of path) {
		const child = inner.firstElementChild;
		if (inner.childNodes.length !== 1 || child?.localName !== tag) return undefined;
		inner = child;
	}
	const safe = inner.innerHTML;
	keep(safe, inner);
	return safe;
}

/** `html` inside the elements of `path`, outermost first. */
export function wrap(html: string, path: readonly string[]): string {
	return `${path.map((t) => `<${t}>`).join('')}${html}${path
		.map((t) => `</${t}>`)
		.reverse()
		.join('')}`;
}

/**
 * The nodes of the latest sanitised blocks, by their HTML: the view inserts a block the frame
 * it was rendered, so it can take the nodes the sanitiser already parsed rather than parse
 * the same HTML again (that second parse was most of Svelte's share of a long answer).
 */
const parsed = new Map<string, DocumentFragment>();
/**
 * More than a frame renders (a frame's budget is 16 KB of text, some 300 small blocks, shared
 * by every column): a block not taken by then never will be.
 */
const KEPT = 2048;

function keep(safe: string, box: Element): void {
	if (!box.firstChild) return;
	const fragment = document.createDocumentFragment();
	fragment.append(...box.childNodes);
	parsed.delete(safe);
	parsed.set(safe, fragment);
	if (parsed.size > KEPT) parsed.delete(parsed.keys().next().value as string);
}

/**
 * The nodes of `safe`, HTML `sanitize` returned: those it parsed when not taken yet (each once),
 * a fresh parse otherwise.
 */
export function parsedNodes(safe: string): DocumentFragment {
	const kept = parsed.get(safe);
	if (kept) {
		parsed.delete(safe);
		return kept;
	}
	const template = document.createElement('template');
	template.innerHTML = safe;
	return template.content;
}

/**
 * The safe nodes of one block, owned by this page's document, to insert without parsing the
 * HTML a second time.
 */
export function sanitizeFragment(html: string, opts: RenderOptions = {}): DocumentFragment {
	const fragment = document.createDocumentFragment();
	// Appending adopts each node into this page's document. (No Range: every live Range on the
	// reused inert document would be updated on every later mutation there.)
	fragment.append(...current()(html, opts).childNodes);
	return fragment;
}
