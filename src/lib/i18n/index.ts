/**
 * Message tables. Each area keeps its strings in `messages/<area>.ts` as `{ en, zh }`
 * so areas can grow without touching each other; every key must exist in both languages.
 */
import { app } from './messages/app.ts';
import { wire } from './messages/wire.ts';
import { db } from './messages/db.ts';
import { history } from './messages/history.ts';
import { models } from './messages/models.ts';
import { workspace } from './messages/workspace.ts';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

type Table = Record<string, string>;
const areas: Array<{ en: Table; zh: Table }> = [app, wire, db, models, history, workspace];

const tables: Record<Locale, Table> = {
	en: Object.assign({}, ...areas.map((a) => a.en)),
	'zh-CN': Object.assign({}, ...areas.map((a) => a.zh))
};

/** The first of the browser's languages we have, else English. */
export function pickLocale(languages: readonly string[]): Locale {
	for (const lang of languages) {
		if (lang.toLowerCase().startsWith('zh')) return 'zh-CN';
		if (lang.toLowerCase().startsWith('en')) return 'en';
	}
	return 'en';
}

/** `{name}` placeholders are replaced by `vars.name`; an unknown key shows as itself. */
export function translate(
	locale: Locale,
	key: string,
	vars?: Record<string, string | number>
): string {
	const text = tables[locale][key] ?? tables.en[key] ?? key;
	if (!vars) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Keys present in one language but not the other (tested to be empty). */
export function missingKeys(): { en: string[]; zh: string[] } {
	const en = Object.keys(tables.en);
	const zh = Object.keys(tables['zh-CN']);
	return {
		en: zh.filter((k) => !(k in tables.en)),
		zh: en.filter((k) => !(k in tables['zh-CN']))
	};
}
