/**
 * The browser's built-in sanitiser (`Element.setHTML`): no Document per block, no library.
 * The Sanitizer configuration says what it can of the policy (elements dropped or unwrapped,
 * attributes, no comments) and the browser adds its own floor (no script, handler or
 * javascript: link whatever the configuration); one walk over the result does the rest:
 * elements outside the allowed sets, namespace confusion, URL schemes, remote images, the
 * renderer's own mark and link targets.
 */
import {
	DROP_WITH_CONTENT,
	HTML_ELEMENTS,
	HTML_NS,
	MATHML_ELEMENTS,
	MATHML_NS,
	MODEL_ATTRIBUTES,
	SVG_NS,
	keepAttribute,
	placeImage,
	setLinkTarget,
	takeMark,
	validNamespace
} from './sanitize-policy.ts';
import type { RenderOptions } from './render.ts';

type SetHTML = (html: string, options: { sanitizer: Sanitizer }) => void;

/** Whether this browser has the built-in sanitiser. */
export function hasNativeSanitizer(): boolean {
	return (
		typeof Sanitizer === 'function' &&
		typeof Element !== 'undefined' &&
		typeof (Element.prototype as { setHTML?: SetHTML }).setHTML === 'function'
	);
}

/** Removed but their content kept, as DOMPurify does with an element it does not allow. */
const UNWRAPPED =
	'form input textarea select option link meta base source track picture portal dialog map area'.split(
		' '
	);

const CONFIG: SanitizerConfig = {
	removeElements: [
		...[...DROP_WITH_CONTENT].map((name) => ({ name, namespace: HTML_NS })),
		{ name: 'svg', namespace: SVG_NS },
		{ name: 'annotation-xml', namespace: MATHML_NS }
	],
	replaceWithChildrenElements: UNWRAPPED.map((name) => ({ name, namespace: HTML_NS })),
	attributes: [
		...[...MODEL_ATTRIBUTES, 'class'].map((name) => ({ name, namespace: null })),
		// The parser puts a MathML element's xmlns in the XMLNS namespace.
		{ name: 'xmlns', namespace: 'http://www.w3.org/2000/xmlns/' }
	],
	dataAttributes: true,
	comments: false
};

/** Where the walk goes after `node` when it does not enter it: its next sibling or an ancestor's. */
function after(node: Node, root: Node): ChildNode | null {
	for (let n: Node | null = node; n && n !== root; n = n.parentNode)
		if (n.nextSibling) return n.nextSibling;
	return null;
}

/** Applies the rest of the policy to the children of `root`, in document order. */
function finish(root: Element, opts: RenderOptions): void {
	const mine = new WeakSet<Node>();
	let node = root.firstChild;
	while (node) {
		if (node.nodeType === Node.TEXT_NODE) {
			node = after(node, root);
			continue;
		}
		if (node.nodeType !== Node.ELEMENT_NODE) {
			// The configuration drops comments; a CDATA section or processing instruction is text
			// that could be read as markup elsewhere.
			const next = after(node, root);
			node.remove();
			node = next;
			continue;
		}
		let el = node as Element;
		const name = el.localName.toLowerCase();
		if (!HTML_ELEMENTS.has(name) && !MATHML_ELEMENTS.has(name)) {
			const next = DROP_WITH_CONTENT.has(name)
				? after(el, root)
				: (el.firstChild ?? after(el, root));
			if (DROP_WITH_CONTENT.has(name)) el.remove();
			else el.replaceWith(...el.childNodes);
			node = next;
			continue;
		}
		if (!validNamespace(el, name)) {
			node = after(el, root);
			el.remove();
			continue;
		}
		if (name === 'img' && el.namespaceURI === HTML_NS) {
			const next = after(el, root);
			const placed = placeImage(el, opts, mine);
			if (!placed) {
				node = next;
				continue;
			}
			el = placed;
		}
		const own = takeMark(el) || mine.has(el);
		for (const attr of [...el.attributes])
			if (!keepAttribute(attr.name, attr.value, own)) el.removeAttributeNode(attr);
			// Trimmed as DOMPurify does, so both paths keep the same markup.
			else if (attr.name !== 'value') attr.value = attr.value.trim();
		setLinkTarget(el);
		node = el.firstChild ?? after(el, root);
	}
}

/** A sanitiser writing into `box` (an element of an inert document): returns `box`, filled. */
export function createNativeSanitizer(
	box: Element
): (html: string, opts: RenderOptions) => Element {
	const sanitizer = new Sanitizer(CONFIG);
	const setHTML = (box as unknown as { setHTML: SetHTML }).setHTML.bind(box);
	return (html, opts) => {
		setHTML(html, { sanitizer });
		finish(box, opts);
		return box;
	};
}
