/**
 * Untrusted HTML → safe HTML with DOMPurify. Strict: no styles, forms, frames, plugins, SVG or
 * media; links only to http(s), mailto and fragments, opening in a new tab without an opener;
 * images from other hosts lose their source (nothing is fetched until the user clicks).
 */
import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';

export interface SanitizeOptions {
	/** Images from this origin (and data:image/…, blob:) may load. */
	origin?: string;
}

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
		'dialog'
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
	ALLOW_DATA_ATTR: true
};

const SAFE_IMAGE = /^(?:data:image\/(?:png|gif|jpe?g|webp|avif);|blob:)/i;

let purifier: Purifier | undefined;
let currentOrigin: string | undefined;

function create(win: Window & typeof globalThis): Purifier {
	const p = DOMPurify(win);
	p.addHook('afterSanitizeAttributes', (node) => {
		const el = node as Element;
		if (el.tagName === 'A') {
			const href = el.getAttribute('href') ?? '';
			if (href && !href.startsWith('#')) {
				el.setAttribute('target', '_blank');
				el.setAttribute('rel', 'noopener noreferrer');
			} else el.removeAttribute('target');
		} else if (el.tagName === 'IMG') {
			const src = el.getAttribute('src') ?? '';
			if (src && !SAFE_IMAGE.test(src) && !sameOrigin(src)) {
				el.removeAttribute('src');
				el.setAttribute('data-remote-image', src);
			}
		} else el.removeAttribute('target');
	});
	return p;
}

function sameOrigin(src: string): boolean {
	if (!currentOrigin) return false;
	try {
		return (
			new URL(src, currentOrigin).origin === currentOrigin &&
			/^https?:/i.test(new URL(src, currentOrigin).protocol)
		);
	} catch {
		return false;
	}
}

/** The default sanitiser: DOMPurify on this window, created once. */
export function sanitize(html: string, opts: SanitizeOptions = {}): string {
	if (!purifier) {
		const win = globalThis.window;
		if (!win)
			throw new Error('sanitize() needs a DOM: pass RenderOptions.sanitize outside the browser');
		purifier = create(win);
	}
	currentOrigin = opts.origin;
	return purifier.sanitize(html, CONFIG) as string;
}
