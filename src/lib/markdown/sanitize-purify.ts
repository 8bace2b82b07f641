/**
 * DOMPurify, for browsers without the built-in sanitiser (loaded only there), with the same
 * policy as the built-in path (sanitize-policy.ts). It parses each block into a Document of its
 * own: sanitising in place in one reused inert document measured far slower (every NodeIterator
 * DOMPurify leaves on that document is updated on each later removal until it is collected).
 */
import DOMPurify, { type Config, type WindowLike } from 'dompurify';
import {
	ALLOWED_URL,
	DROP_WITH_CONTENT,
	HTML_ELEMENTS,
	MATHML_ELEMENTS,
	MODEL_ATTRIBUTES,
	URL_ATTRIBUTES,
	keepAttribute,
	placeImage,
	setLinkTarget,
	takeMark
} from './sanitize-policy.ts';
import type { RenderOptions } from './render.ts';

const CONFIG: Config & { RETURN_DOM: true } = {
	ALLOWED_TAGS: [...HTML_ELEMENTS, ...MATHML_ELEMENTS],
	FORBID_CONTENTS: [...DROP_WITH_CONTENT],
	ALLOWED_ATTR: [...MODEL_ATTRIBUTES, 'class', 'target'],
	ALLOWED_URI_REGEXP: ALLOWED_URL,
	ALLOW_DATA_ATTR: true,
	ALLOW_ARIA_ATTR: false,
	// DOMPurify checks every other attribute's value against ALLOWED_URI_REGEXP, which dropped
	// table alignment, a button's type and MathML's variants ("left" is no URL).
	ADD_URI_SAFE_ATTR: [...MODEL_ATTRIBUTES].filter((name) => !URL_ATTRIBUTES.has(name)),
	RETURN_DOM: true,
	// Parsed as in an element, as on the built-in path: a leading <style> or <title> is not
	// moved to a head and dropped there with a different result.
	FORCE_BODY: true
};

/** A sanitiser returning an element of an inert document that holds the safe nodes. */
export function createPurifier(win: WindowLike): (html: string, opts: RenderOptions) => Element {
	const purifier = DOMPurify(win);
	// Once: a configuration passed to each call is parsed again on each call.
	purifier.setConfig(CONFIG);
	// The hooks are shared by every call; sanitize() is synchronous, so this is the current one's.
	let current: RenderOptions = {};
	// The renderer's own elements in the tree being sanitised, their mark already taken off.
	let mine = new WeakSet<Node>();
	// DOMPurify calls the attribute hooks for other nodes too (text, comments).
	const isElement = (node: Node): node is Element => node.nodeType === Node.ELEMENT_NODE;
	purifier.addHook('beforeSanitizeAttributes', (node) => {
		if (isElement(node) && takeMark(node)) mine.add(node);
	});
	purifier.addHook('uponSanitizeAttribute', (node, data) => {
		if (!keepAttribute(data.attrName, data.attrValue, mine.has(node))) data.keepAttr = false;
	});
	purifier.addHook('uponSanitizeElement', (node, data) => {
		// Detaching the node is how a hook removes it (DOMPurify checks); a placeholder takes its
		// place in the tree, so DOMPurify still walks and checks it like any other element.
		if (data.tagName === 'img') placeImage(node as Element, current, mine);
	});
	purifier.addHook('afterSanitizeAttributes', (node) => {
		if (isElement(node)) setLinkTarget(node);
	});
	return (html, opts) => {
		current = opts;
		mine = new WeakSet();
		// No body at all (a <frameset> page): nothing to show.
		return (purifier.sanitize(html) as unknown as Element | null) ?? document.createElement('div');
	};
}
