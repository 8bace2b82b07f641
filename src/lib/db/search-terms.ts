/**
 * The tokenizer behind History search, pure so the index and the query cut text the same way.
 * Words of space-separated scripts become lowercase terms, matched by prefix (`palin` finds
 * "palindrome"). Chinese and Japanese are written without spaces and have no reliable word
 * boundaries offline, so each run is indexed as its single characters and adjacent pairs: a
 * query of one character looks up that character, a longer one all its pairs.
 */

/** Longer words are cut here: a pasted hash or base64 blob must not bloat the index. */
export const MAX_TERM_LENGTH = 32;

/** One query term: a word matched by prefix, or a CJK character or pair matched exactly. */
export interface QueryTerm {
	term: string;
	prefix: boolean;
}

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆`;
// A CJK run, or a run of letters, digits and combining marks of any other script.
const RUNS = new RegExp(String.raw`([${CJK}]+)|((?:(?![${CJK}])[\p{L}\p{N}\p{M}])+)`, 'gu');

/** Width, case and Latin accents folded, so `Ｃafé` and `cafe` meet. */
function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.normalize('NFC')
		.toLowerCase();
}

function* runs(text: string): Generator<{ cjk: boolean; text: string }> {
	for (const m of fold(text).matchAll(RUNS)) {
		if (m[1]) yield { cjk: true, text: m[1] };
		else if (m[2]) yield { cjk: false, text: [...m[2]].slice(0, MAX_TERM_LENGTH).join('') };
	}
}

/** A CJK run's adjacent character pairs. */
function pairs(chars: string[]): string[] {
	return chars.slice(1).map((c, i) => `${chars[i] ?? ''}${c}`);
}

/** Every distinct term of some texts, as stored in the index. */
export function indexTerms(...texts: string[]): string[] {
	const terms = new Set<string>();
	for (const text of texts)
		for (const run of runs(text)) {
			if (!run.cjk) {
				terms.add(run.text);
				continue;
			}
			const chars = [...run.text];
			for (const term of [...chars, ...pairs(chars)]) terms.add(term);
		}
	return [...terms];
}

/** The terms a query needs, all of which a conversation must match. */
export function queryTerms(query: string): QueryTerm[] {
	const terms = new Map<string, QueryTerm>();
	const add = (term: string, prefix: boolean) => {
		if (!terms.has(term)) terms.set(term, { term, prefix });
	};
	for (const run of runs(query)) {
		const chars = [...run.text];
		if (!run.cjk) add(run.text, true);
		else if (chars.length === 1) add(run.text, false);
		else for (const pair of pairs(chars)) add(pair, false);
	}
	return [...terms.values()];
}
