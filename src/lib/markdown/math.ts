/**
 * `$…$`, `$$…$$`, `\(…\)`, `\[…\]` as marked extensions. KaTeX loads on demand and renders
 * MathML: no stylesheet, no fonts, no inline styles (our CSP forbids them), and `trust: false`
 * so `\href{javascript:…}` never becomes a link.
 */
import type { MarkedExtension, Tokens } from 'marked';
import { own } from './own.ts';

type Katex = typeof import('katex').default;
let katex: Katex | undefined;
let loading: Promise<void> | undefined;

export function mathLoaded(): boolean {
	return katex !== undefined;
}

export function loadMath(): Promise<void> {
	loading ??= import('katex').then((m) => {
		katex = m.default;
	});
	return loading;
}

function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Rendered math, or its escaped source until KaTeX is here (`onPending` starts the load). */
export function renderMath(tex: string, display: boolean, onPending: () => void): string {
	if (!katex) {
		onPending();
		return `<code${own} class="math-pending">${escape(tex)}</code>`;
	}
	const html = katex.renderToString(tex, {
		displayMode: display,
		output: 'mathml',
		throwOnError: false,
		trust: false,
		strict: 'ignore',
		maxExpand: 1000,
		maxSize: 50
	});
	// DOMPurify rejects <semantics> and <annotation> (mXSS history) but would keep the TeX
	// source inside as stray visible text; the MathML itself is what a reader needs.
	// KaTeX escapes the source, so its one class (the wrapper's) is its own: marked, it stays.
	return html
		.replace(ANNOTATION, '')
		.replace(SEMANTICS, '')
		.replace(KATEX, `<span${own} class="katex">`);
}

/** KaTeX escapes the source, so an annotation holds no `<`. */
const ANNOTATION = /<annotation encoding="application\/x-tex">[^<]*<\/annotation>/;
const SEMANTICS = /<\/?semantics>/g;
const KATEX = /^<span class="katex">/;

/**
 * `$$…$$` or `\[…\]` from a line start, without a blank line inside (TeX rejects one too):
 * a blank line ends a block, so a still-open display can never reach back into finished ones.
 */
const DISPLAY =
	/^ {0,3}(?:\$\$((?:(?!\n[ \t]*\n)[\s\S])+?)\$\$|\\\[((?:(?!\n[ \t]*\n)[\s\S])+?)\\\])[ \t]*(?:\n|$)/;

interface MathToken extends Tokens.Generic {
	type: 'math' | 'mathBlock';
	raw: string;
	text: string;
	display: boolean;
}

export function mathExtension(onPending: () => void): MarkedExtension {
	return {
		extensions: [
			{
				// Its own name: marked keeps one renderer per name.
				name: 'mathBlock',
				level: 'block',
				// Only at a line start: marked calls this on text whose first character it dropped.
				start: (src) => {
					const m = /\n {0,3}(?:\$\$|\\\[)/.exec(src);
					return m ? m.index + 1 : undefined;
				},
				tokenizer(src) {
					const m = DISPLAY.exec(src);
					if (!m) return undefined;
					return {
						type: 'mathBlock',
						raw: m[0],
						text: (m[1] ?? m[2] ?? '').trim(),
						display: true
					} as MathToken;
				},
				renderer: (token) =>
					`<p${own} class="math-display">${renderMath(String(token.text), true, onPending)}</p>\n`
			},
			{
				name: 'math',
				level: 'inline',
				start: (src) => src.match(/\$|\\\(/)?.index,
				tokenizer(src) {
					// `$5 and $6` is money, not maths: no space inside the dollars, no digit after.
					const m =
						/^\$\$(?!\$)([^\n]+?)\$\$/.exec(src) ??
						/^\$(?![\s$])((?:\\.|[^\\\n$])+?)(?<![\s\\])\$(?!\d)/.exec(src) ??
						/^\\\(([\s\S]+?)\\\)/.exec(src);
					if (!m) return undefined;
					return {
						type: 'math',
						raw: m[0],
						text: m[1] ?? '',
						display: m[0].startsWith('$$')
					} as MathToken;
				},
				renderer: (token) => renderMath(String(token.text), Boolean(token.display), onPending)
			}
		]
	};
}
