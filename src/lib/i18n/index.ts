/**
 * Message tables. Each area keeps its English strings in `messages/<area>.ts` and its Chinese
 * ones in `messages/zh/<area>.ts`, so areas can grow without touching each other; every key must
 * exist in both languages. English is built in; Chinese loads on demand (`loadLocale`).
 */
import { app } from './messages/app.ts';
import { wire } from './messages/wire.ts';
import { db } from './messages/db.ts';
import { history } from './messages/history.ts';
import { models } from './messages/models.ts';
import { workspace } from './messages/workspace.ts';
import { modes } from './messages/modes.ts';
import type { PluralForms, Table } from './area.ts';
import type { MessageKey } from './keys.ts';

export type { PluralForms } from './area.ts';
export type { MessageKey } from './keys.ts';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

const areas: Array<{ en: Table }> = [app, wire, db, models, history, workspace, modes];

const tables: Record<Locale, Table> = {
	en: Object.assign({}, ...areas.map((a) => a.en)),
	'zh-CN': {}
};

let chinese: Promise<void> | undefined;

/**
 * Makes `locale`'s strings available before anything is shown in it: the Chinese tables are
 * their own chunk, fetched once. Never rejects: if the fetch fails, messages fall back to
 * English (as `translate` does for any missing one) and the next call tries again.
 */
export function loadLocale(locale: Locale): Promise<void> {
	if (locale !== 'zh-CN') return Promise.resolve();
	chinese ??= import('./zh.ts').then(
		({ zh }) => void Object.assign(tables['zh-CN'], zh),
		() => void (chinese = undefined)
	);
	return chinese;
}

/**
 * A view loaded on demand brings its own strings (the experiment view's are most of a table):
 * they are added when its code loads, before it renders.
 */
export function addArea(area: { en: Table; zh: Table }): void {
	Object.assign(tables.en, area.en);
	Object.assign(tables['zh-CN'], area.zh);
}

/** The first of the browser's languages we have, else English. */
export function pickLocale(languages: readonly string[]): Locale {
	for (const lang of languages) {
		if (lang.toLowerCase().startsWith('zh')) return 'zh-CN';
		if (lang.toLowerCase().startsWith('en')) return 'en';
	}
	return 'en';
}

/**
 * `{name}` placeholders are replaced by `vars.name`; a message with plural forms takes the one
 * `vars.count` calls for. Keys are typed, but a Message read back from storage or a backup may
 * carry a key an older release had: an unknown key shows as itself.
 */
export function translate(
	locale: Locale,
	key: MessageKey,
	vars?: Record<string, string | number>
): string {
	const own = tables[locale][key];
	const entry = own ?? tables.en[key] ?? key;
	const text =
		typeof entry === 'string' ? entry : pluralForm(entry, own ? locale : 'en', vars?.count);
	if (!vars) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Whether `key` names a message (the type cannot say so for a key read back from storage). */
export function isMessageKey(key: string): key is MessageKey {
	return key in tables.en;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The form of `forms` for `count` in `locale`; `other` without a count or a form for it. */
function pluralForm(forms: PluralForms, locale: Locale, count: unknown): string {
	if (typeof count !== 'number') return forms.other;
	let rules = pluralRules.get(locale);
	if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
	return forms[rules.select(count)] ?? forms.other;
}

/** Keys present in one language but not the other, of the tables loaded (tested to be empty). */
export function missingKeys(): { en: string[]; zh: string[] } {
	const en = Object.keys(tables.en);
	const zh = Object.keys(tables['zh-CN']);
	return {
		en: zh.filter((k) => !(k in tables.en)),
		zh: en.filter((k) => !(k in tables['zh-CN']))
	};
}
