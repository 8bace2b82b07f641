/**
 * Blocks in the DOM. A block in parts: its shell is inserted once with a comment where the
 * parts go, and each update adds the new parts and replaces the changed last one, by key, so a
 * long code block streaming in never has its whole HTML parsed again. Any other block takes
 * the nodes the sanitiser already parsed (see placeHtml).
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
	nodes: Map<string, HTMLElement>;
}

const placed = new WeakMap<Element, Placed>();

function anchorIn(root: Element): Comment | undefined {
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
	for (let n = walker.nextNode(); n; n = walker.nextNode())
		if (n.nodeValue === OWN) return n as Comment;
	return undefined;
}

/** Puts `parts` (sanitised by the renderer) at the block's slot, touching only what changed. */
export function fillParts(root: Element, parts: Part[]): void {
	let state = placed.get(root);
	if (!state) {
		const anchor = anchorIn(root);
		if (!anchor) return;
		state = { anchor, nodes: new Map() };
		placed.set(root, state);
	}
	const wanted = new Set(parts.map((p) => p.key));
	for (const [key, node] of state.nodes)
		if (!wanted.has(key)) {
			node.remove();
			state.nodes.delete(key);
		}
	const parent = state.anchor.parentNode;
	if (!parent) return;
	// From the end: each part goes before the one after it, the last before the anchor.
	let before: ChildNode = state.anchor;
	for (let i = parts.length - 1; i >= 0; i--) {
		const part = parts[i] as Part;
		let node = state.nodes.get(part.key);
		if (!node) {
			node = document.createElement('span');
			node.className = 'code-part';
			node.innerHTML = part.html;
			parent.insertBefore(node, before);
			state.nodes.set(part.key, node);
		}
		before = node;
	}
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
