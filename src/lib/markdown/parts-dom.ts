/**
 * Blocks in the DOM. A block in parts: its shell is inserted once with a comment where the
 * parts go, and each update adds the new parts and replaces the changed last ones, by key, so
 * a long code block, list or table streaming in never has its whole HTML parsed again. Every
 * part and any other block takes the nodes the sanitiser already parsed (see placeHtml).
 */
import { OWN } from './own.ts';
import { parsedNodes } from './sanitize.ts';
import type { Part } from './code.ts';
import type { Rendered } from './render.ts';

/** The shell's HTML with a comment at the slot: model text cannot hold the random mark. */
export function withSlot(block: Rendered): string {
	const at = block.slot ?? block.html.length;
	return `${block.html.slice(0, at)}<!--${OWN}-->${block.html.slice(at)}`;
}

interface Placed {
	anchor: Comment;
	/** A code block's parts are each wrapped (see app.css); a list's `<li>` must not be. */
	wrap: boolean;
	/** The keys placed, in order, and the nodes each put in. */
	keys: string[];
	nodes: ChildNode[][];
}

const placed = new WeakMap<Element, Placed>();

function anchorIn(root: Element): Comment | undefined {
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
	for (let n = walker.nextNode(); n; n = walker.nextNode())
		if (n.nodeValue === OWN) return n as Comment;
	return undefined;
}

/**
 * Puts `parts` (sanitised by the renderer) at the block's slot, touching only what changed.
 * Parts change only at the end (a block that starts over has new keys throughout), so the
 * parts placed before are kept up to the last one still wanted at its place, found from the
 * end: an update costs its new parts, not the thousands kept.
 */
export function fillParts(root: Element, parts: Part[]): void {
	let state = placed.get(root);
	if (!state) {
		const anchor = anchorIn(root);
		if (!anchor) return;
		state = { anchor, wrap: anchor.parentNode?.nodeName === 'CODE', keys: [], nodes: [] };
		placed.set(root, state);
	}
	let kept = Math.min(state.keys.length, parts.length);
	while (kept > 0 && state.keys[kept - 1] !== parts[kept - 1]?.key) kept--;
	for (const nodes of state.nodes.splice(kept)) for (const node of nodes) node.remove();
	state.keys.length = kept;
	const parent = state.anchor.parentNode;
	if (!parent) return;
	for (const part of parts.slice(kept)) {
		const fragment = parsedNodes(part.html);
		const nodes = state.wrap ? [codePart(fragment)] : [...fragment.childNodes];
		parent.insertBefore(state.wrap ? (nodes[0] as ChildNode) : fragment, state.anchor);
		state.keys.push(part.key);
		state.nodes.push(nodes);
	}
}

function codePart(nodes: DocumentFragment): HTMLElement {
	const span = document.createElement('span');
	span.className = 'code-part';
	span.append(nodes);
	return span;
}

const shown = new WeakMap<Element, string>();

/**
 * Shows a block's sanitised HTML in `root`: the nodes the sanitiser parsed when they are still
 * there, so the page does not parse the same HTML twice. Nothing is done when `root` already
 * shows `html`.
 */
export function placeHtml(root: Element, html: string): void {
	if (shown.get(root) === html) return;
	root.replaceChildren(parsedNodes(html));
	shown.set(root, html);
}
