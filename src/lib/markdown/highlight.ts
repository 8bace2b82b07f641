/**
 * highlight.js core with grammars loaded on demand: the entry bundle carries none of them.
 * Never highlightAuto: guessing costs a pass per grammar and guesses wrong.
 */
import hljs from 'highlight.js/lib/core';
import type { LanguageFn } from 'highlight.js';
import { own } from './own.ts';

type Loader = () => Promise<{ default: LanguageFn }>;

const LOADERS: Record<string, Loader> = {
	bash: () => import('highlight.js/lib/languages/bash'),
	c: () => import('highlight.js/lib/languages/c'),
	cpp: () => import('highlight.js/lib/languages/cpp'),
	csharp: () => import('highlight.js/lib/languages/csharp'),
	css: () => import('highlight.js/lib/languages/css'),
	diff: () => import('highlight.js/lib/languages/diff'),
	dockerfile: () => import('highlight.js/lib/languages/dockerfile'),
	go: () => import('highlight.js/lib/languages/go'),
	graphql: () => import('highlight.js/lib/languages/graphql'),
	ini: () => import('highlight.js/lib/languages/ini'),
	java: () => import('highlight.js/lib/languages/java'),
	javascript: () => import('highlight.js/lib/languages/javascript'),
	json: () => import('highlight.js/lib/languages/json'),
	kotlin: () => import('highlight.js/lib/languages/kotlin'),
	lua: () => import('highlight.js/lib/languages/lua'),
	makefile: () => import('highlight.js/lib/languages/makefile'),
	markdown: () => import('highlight.js/lib/languages/markdown'),
	php: () => import('highlight.js/lib/languages/php'),
	plaintext: () => import('highlight.js/lib/languages/plaintext'),
	python: () => import('highlight.js/lib/languages/python'),
	r: () => import('highlight.js/lib/languages/r'),
	ruby: () => import('highlight.js/lib/languages/ruby'),
	rust: () => import('highlight.js/lib/languages/rust'),
	scss: () => import('highlight.js/lib/languages/scss'),
	shell: () => import('highlight.js/lib/languages/shell'),
	sql: () => import('highlight.js/lib/languages/sql'),
	swift: () => import('highlight.js/lib/languages/swift'),
	typescript: () => import('highlight.js/lib/languages/typescript'),
	xml: () => import('highlight.js/lib/languages/xml'),
	yaml: () => import('highlight.js/lib/languages/yaml')
};

const ALIASES: Record<string, string> = {
	sh: 'bash',
	zsh: 'bash',
	console: 'shell',
	js: 'javascript',
	jsx: 'javascript',
	mjs: 'javascript',
	ts: 'typescript',
	tsx: 'typescript',
	py: 'python',
	rb: 'ruby',
	rs: 'rust',
	golang: 'go',
	'c++': 'cpp',
	cs: 'csharp',
	html: 'xml',
	svg: 'xml',
	vue: 'xml',
	svelte: 'xml',
	yml: 'yaml',
	toml: 'ini',
	md: 'markdown',
	kt: 'kotlin',
	docker: 'dockerfile',
	text: 'plaintext',
	txt: 'plaintext',
	jsonc: 'json'
};

const loading = new Map<string, Promise<void>>();

/** The grammar's canonical name, or undefined when we have none for it. */
export function languageOf(info: string | undefined): string | undefined {
	const name = (info ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
	const canonical = ALIASES[name] ?? name;
	return canonical in LOADERS ? canonical : undefined;
}

export function isLoaded(language: string): boolean {
	return hljs.getLanguage(language) !== undefined;
}

/** Starts loading a grammar once; resolves when it can be used. */
export function loadLanguage(language: string): Promise<void> {
	const loader = LOADERS[language];
	if (!loader) return Promise.resolve();
	let p = loading.get(language);
	if (!p) {
		p = loader().then((m) => hljs.registerLanguage(language, m.default));
		loading.set(language, p);
	}
	return p;
}

/**
 * Highlighted HTML of a closed block, in a loaded grammar. highlight.js escapes the code, so
 * every `<span class="` in its output is its own: marked, its classes survive the sanitiser.
 */
export function highlight(code: string, language: string): string {
	return highlighted(code, language).html;
}

/**
 * `highlight`, and whether highlight.js ended at its grammar's root (no mode left open): text
 * after this point highlights the same on its own, so a long block can be done in chunks.
 */
export function highlighted(code: string, language: string): { html: string; root: boolean } {
	const result = hljs.highlight(code, { language, ignoreIllegals: true });
	// `_top` is the mode stack's top, undocumented but in every v11 result; no `parent` is root.
	const top = (result as { _top?: { parent?: unknown } })._top;
	return {
		html: result.value.replaceAll('<span class="', `<span${own} class="`),
		root: top !== undefined && top.parent === undefined
	};
}

/** For benchmarks and tests: load every grammar so rendering is deterministic. */
export async function loadAllLanguages(): Promise<void> {
	await Promise.all(Object.keys(LOADERS).map(loadLanguage));
}
