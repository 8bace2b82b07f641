/**
 * Untrusted HTML → safe HTML with DOMPurify. Strict: no styles, forms, frames, plugins, SVG or
 * media; links only to http(s), mailto and fragments, opening in a new tab without an opener.
 * An image from another host is never fetched: a hook swaps it for a placeholder button the
 * user may click, so an answer cannot report to a tracker that it was read.
 *
 * Model HTML must not borrow the app's chrome: only the renderer's own elements (marked with
 * OWN) keep classes and data-* attributes; on every other element only the attributes in
 * MODEL_ATTRIBUTES survive, so no id, role, class, label `for`, popover or command target.
 */
import DOMPurify, { type Config, type WindowLike } from 'dompurify';
import { OWN } from './own.ts';
import type { RenderOptions } from './render.ts';

/** Safe HTML of one block; `opts` supplies the page origin and the placeholder's label. */
export type Sanitizer = (html: string, opts?: RenderOptions) => string;

/**
 * What markdown itself produces (links, images, table alignment, list numbering), what gives
 * model HTML its meaning (table spans, dates, languages, details) and MathML's presentation.
 */
const MODEL_ATTRIBUTES = new Set([
	'href',
	'src',
	'alt',
	'title',
	'align',
	'valign',
	'width',
	'height',
	'colspan',
	'rowspan',
	'headers',
	'scope',
	'abbr',
	'span',
	'start',
	'reversed',
	'type',
	'value',
	'lang',
	'dir',
	'open',
	'cite',
	'datetime',
	// MathML (KaTeX's output inside its marked wrapper, or the model's own).
	'xmlns',
	'display',
	'displaystyle',
	'scriptlevel',
	'mathvariant',
	'mathcolor',
	'mathbackground',
	'mathsize',
	'stretchy',
	'fence',
	'separator',
	'lspace',
	'rspace',
	'largeop',
	'movablelimits',
	'symmetric',
	'minsize',
	'maxsize',
	'accent',
	'accentunder',
	'linethickness',
	'columnalign',
	'columnspacing',
	'columnlines',
	'rowalign',
	'rowspacing',
	'rowlines',
	'frame',
	'notation',
	'depth',
	'voffset'
]);

/** Of those, the ones that hold a URL: the rest must not be held to ALLOWED_URI_REGEXP. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);

const CONFIG: Config = {
	FORBID_TAGS: [
		'style',
		'form',
		'input',
		'textarea',
		'select',
		'option',
		'iframe',
		'frame',
		'frameset',
		'object',
		'embed',
		'applet',
		'link',
		'meta',
		'base',
		'svg',
		'video',
		'audio',
		'source',
		'track',
		'picture',
		'template',
		'portal',
		'dialog',
		// <area href> navigates the app's own tab; an image map has no use in an answer.
		'map',
		'area'
	],
	FORBID_ATTR: [
		'style',
		'srcset',
		'background',
		'poster',
		'formaction',
		'action',
		'ping',
		'xlink:href',
		'autofocus'
	],
	ADD_ATTR: ['target'],
	ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|#|data:image\/(?:png|gif|jpe?g|webp|avif);|blob:)/i,
	ALLOW_DATA_ATTR: true,
	// DOMPurify checks every other attribute's value against ALLOWED_URI_REGEXP, which dropped
	// table alignment, a button's type and MathML's variants ("left" is no URL).
	ADD_URI_SAFE_ATTR: [...MODEL_ATTRIBUTES].filter((name) => !URL_ATTRIBUTES.has(name))
};

/** Images that fetch nothing from elsewhere: inline raster data and the page's own blobs. */
const INLINE_IMAGE = /^(?:data:image\/(?:png|gif|jpe?g|webp|avif);|blob:)/i;

/** The absolute URL of `src` when it is on the page's own origin, else undefined. */
function ownUrl(src: string, origin: string | undefined): string | undefined {
	if (!origin) return undefined;
	try {
		const url = new URL(src, origin);
		return url.origin === origin && /^https?:$/.test(url.protocol) ? url.href : undefined;
	} catch {
		return undefined;
	}
}

/** A DOMPurify bound to `win` with our config and hooks; used per block, synchronously. */
export function createPurifier(win: WindowLike): Sanitizer {
	const purifier = DOMPurify(win);
	// The hooks are shared by every call; sanitize() is synchronous, so this is the current one's.
	let current: RenderOptions = {};
	// The renderer's own elements in the tree being sanitised, their mark already taken off.
	const mine = new WeakSet<Node>();
	purifier.addHook('beforeSanitizeAttributes', (node) => {
		const el = node as Element;
		if (!el.hasAttribute?.(OWN)) return;
		el.removeAttribute(OWN);
		mine.add(el);
	});
	purifier.addHook('uponSanitizeAttribute', (node, data) => {
		if (!mine.has(node) && !MODEL_ATTRIBUTES.has(data.attrName)) data.keepAttr = false;
	});
	purifier.addHook('uponSanitizeElement', (node, data) => {
		if (data.tagName !== 'img') return;
		const img = node as Element;
		const src = (img.getAttribute('src') ?? '').trim();
		if (!src || INLINE_IMAGE.test(src)) return;
		const own = ownUrl(src, current.origin);
		if (own) {
			// Absolute, so ALLOWED_URI_REGEXP (which admits no relative URL) keeps it.
			img.setAttribute('src', own);
			return;
		}
		// Detaching the node is how a hook removes it (DOMPurify checks); the button takes its
		// place in the tree, so DOMPurify still walks and checks it like any other element.
		if (!/^https?:/i.test(src)) {
			img.remove();
			return;
		}
		const button = img.ownerDocument.createElement('button');
		button.setAttribute('type', 'button');
		button.setAttribute('class', 'remote-image');
		button.setAttribute('data-remote-image', src);
		button.textContent = `${current.loadImageLabel ?? '🖼'}: ${src}`;
		mine.add(button);
		img.replaceWith(button);
	});
	purifier.addHook('afterSanitizeAttributes', (node) => {
		const el = node as Element;
		const href = el.tagName === 'A' ? (el.getAttribute('href') ?? '') : '';
		if (href && !href.startsWith('#')) {
			el.setAttribute('target', '_blank');
			el.setAttribute('rel', 'noopener noreferrer');
		} else el.removeAttribute('target');
	});
	return (html, opts = {}) => {
		current = opts;
		return purifier.sanitize(html, CONFIG);
	};
}

let shared: Sanitizer | undefined;

/** The default sanitiser: DOMPurify on this page's window, created on first use. */
export function sanitize(html: string, opts?: RenderOptions): string {
	if (!shared) {
		const win = globalThis.window as WindowLike | undefined;
		if (!win)
			throw new Error('sanitize() needs a DOM: pass RenderOptions.sanitize outside the browser');
		shared = createPurifier(win);
	}
	return shared(html, opts);
}
