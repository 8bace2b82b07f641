/**
 * What an answer may contain, shared by both sanitisers (the browser's own and DOMPurify), so
 * that they keep the same markup. Strict: no styles, forms, frames, plugins, SVG or media; links
 * only to http(s), mailto and fragments, opening in a new tab without an opener. An image from
 * another host is never fetched: it becomes a placeholder button the user may click, so an
 * answer cannot report to a tracker that it was read.
 *
 * Model HTML must not borrow the app's chrome: only the renderer's own elements (marked with
 * OWN) keep classes and data-* attributes; on every other element only the attributes in
 * MODEL_ATTRIBUTES survive, so no id, role, class, label `for`, popover or command target.
 */
import { OWN } from './own.ts';
import type { RenderOptions } from './render.ts';

export const HTML_NS = 'http://www.w3.org/1999/xhtml';
export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** DOMPurify's default HTML elements, less what an answer has no use for (see the file head). */
export const HTML_ELEMENTS = new Set(
	'a abbr acronym address article aside b bdi bdo big blink blockquote br button canvas caption center cite code col colgroup content data datalist dd decorator del details dfn dir div dl dt element em fieldset figcaption figure font footer h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd label legend li main mark marquee menu menuitem meter nav nobr ol optgroup output p pre progress q rp rt ruby s samp search section shadow slot small spacer span strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr'.split(
		' '
	)
);

/** MathML's presentation elements (KaTeX's output, or the model's own). */
export const MATHML_ELEMENTS = new Set(
	'math menclose merror mfenced mfrac mglyph mi mlabeledtr mmultiscripts mn mo mover mpadded mphantom mroot mrow ms mspace msqrt mstyle msub msup msubsup mtable mtd mtext mtr munder munderover mprescripts'.split(
		' '
	)
);

/** Every MathML name a parser knows: one of them in the HTML namespace is a confusion attempt. */
const ALL_MATHML = new Set([
	...MATHML_ELEMENTS,
	...'maction maligngroup malignmark mlongdiv mscarries mscarry msgroup mstack msline msrow semantics annotation annotation-xml none'.split(
		' '
	)
]);

/** MathML elements whose children are HTML again. */
const MATHML_TEXT = new Set(['mi', 'mo', 'mn', 'ms', 'mtext']);

/**
 * Elements removed with everything inside: code, styles, other namespaces, media and the
 * raw-text elements whose content would be markup again once serialised and parsed anew.
 * Any other element outside the allowed sets gives way to its content (a model's `<think>`
 * or `<form>` keeps its text).
 */
export const DROP_WITH_CONTENT = new Set(
	'annotation-xml applet audio desc embed foreignobject frame frameset head iframe noembed noframes noscript object plaintext script selectedcontent style svg template title video xmp'.split(
		' '
	)
);

/**
 * What markdown itself produces (links, images, table alignment, list numbering), what gives
 * model HTML its meaning (table spans, dates, languages, details) and MathML's presentation.
 */
export const MODEL_ATTRIBUTES = new Set(
	[
		'href src alt title align valign width height colspan rowspan headers scope abbr span start',
		'reversed type value lang dir open cite datetime',
		// MathML (KaTeX's output inside its marked wrapper, or the model's own).
		'xmlns display displaystyle scriptlevel mathvariant mathcolor mathbackground mathsize stretchy',
		'fence separator lspace rspace largeop movablelimits symmetric minsize maxsize accent',
		'accentunder linethickness columnalign columnspacing columnlines rowalign rowspacing rowlines',
		'frame notation depth voffset'
	]
		.join(' ')
		.split(' ')
);

/** Of those, the ones that hold a URL, held to ALLOWED_URL. */
export const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);

/** http(s), mailto, fragments, inline raster images and the page's own blobs. */
export const ALLOWED_URL =
	/^(?:(?:https?|mailto):|#|data:image\/(?:png|gif|jpe?g|webp|avif);|blob:)/i;

/** What browsers ignore inside a URL (DOMPurify's ATTR_WHITESPACE). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is stripped
const URL_WHITESPACE = /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g;

const DATA_ATTRIBUTE = /^data-[-\w.\u00B7-\uFFFF]+$/;

/** Images that fetch nothing from elsewhere: inline raster data and the page's own blobs. */
const INLINE_IMAGE = /^(?:data:image\/(?:png|gif|jpe?g|webp|avif);|blob:)/i;

/** Whether an attribute stays; `mine`: on one of the renderer's own elements. */
export function keepAttribute(name: string, value: string, mine: boolean): boolean {
	if (mine && (name === 'class' || DATA_ATTRIBUTE.test(name))) return true;
	if (!MODEL_ATTRIBUTES.has(name)) return false;
	return !URL_ATTRIBUTES.has(name) || !value || ALLOWED_URL.test(value.replace(URL_WHITESPACE, ''));
}

/** Takes the renderer's mark off `el`: true when it was one of the renderer's own elements. */
export function takeMark(el: Element): boolean {
	if (!el.hasAttribute(OWN)) return false;
	el.removeAttribute(OWN);
	return true;
}

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

/**
 * An `<img>`: kept when it fetches nothing from elsewhere (made absolute when on the page's
 * origin), replaced by a placeholder button (returned, one of `mine`) for an http(s) URL
 * elsewhere, removed otherwise (returns null).
 */
export function placeImage(img: Element, opts: RenderOptions, mine: WeakSet<Node>): Element | null {
	const src = (img.getAttribute('src') ?? '').trim();
	if (!src || INLINE_IMAGE.test(src)) return img;
	const own = ownUrl(src, opts.origin);
	if (own) {
		// Absolute, so ALLOWED_URL (which admits no relative URL) keeps it.
		img.setAttribute('src', own);
		return img;
	}
	if (!/^https?:/i.test(src)) {
		img.remove();
		return null;
	}
	const button = img.ownerDocument.createElement('button');
	button.setAttribute('type', 'button');
	button.setAttribute('class', 'remote-image');
	button.setAttribute('data-remote-image', src);
	button.textContent = `${opts.loadImageLabel ?? '🖼'}: ${src}`;
	mine.add(button);
	img.replaceWith(button);
	return button;
}

/** A link elsewhere opens in a new tab without an opener; a fragment link stays in the page. */
export function setLinkTarget(el: Element): void {
	const href = el.localName === 'a' ? (el.getAttribute('href') ?? '') : '';
	if (href && !href.startsWith('#')) {
		el.setAttribute('target', '_blank');
		el.setAttribute('rel', 'noopener noreferrer');
	} else el.removeAttribute('target');
}

/**
 * Whether a parser could have put `el` where it is (DOMPurify's namespace check): HTML inside
 * MathML only under a text element, MathML under HTML only as `<math>`. Anything else is a
 * namespace confusion that may parse differently once serialised.
 */
export function validNamespace(el: Element, name: string): boolean {
	const parent = el.parentElement;
	const parentNs = parent?.namespaceURI ?? HTML_NS;
	const parentName = parent?.localName.toLowerCase() ?? '';
	if (el.namespaceURI === MATHML_NS)
		return parentNs === HTML_NS ? name === 'math' : parentNs === MATHML_NS && ALL_MATHML.has(name);
	if (el.namespaceURI === HTML_NS)
		return (
			(parentNs === HTML_NS || (parentNs === MATHML_NS && MATHML_TEXT.has(parentName))) &&
			!ALL_MATHML.has(name)
		);
	return false;
}
