/**
 * The shape of one area's message tables (`messages/<area>.ts`). Plain data and types only, so
 * every table can be imported without the rest of i18n.
 */

/**
 * A message with a count has a form per plural category of its language (`{ one, other }` in
 * English; Chinese needs only `other`, or a plain string), chosen by `vars.count` through
 * Intl.PluralRules. Every other message is a string.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Entry = string | PluralForms;
export type Table = Record<string, Entry>;

/**
 * One area's tables, English and Simplified Chinese. The English keys are the area's keys; the
 * Chinese table must have exactly those, so a missing or extra one fails the type check.
 */
export function area<K extends string>(tables: {
	en: Record<K, Entry>;
	zh: Record<NoInfer<K>, Entry>;
}): { en: Record<K, Entry>; zh: Record<K, Entry> } {
	return tables;
}

/**
 * An area of the main views: English only here, so the entry chunk carries no Chinese. Its
 * Chinese table is `messages/zh/<area>.ts`, typed by `Chinese`, loaded by `loadLocale`.
 */
export function english<K extends string>(tables: {
	en: Record<K, Entry>;
}): {
	en: Record<K, Entry>;
} {
	return tables;
}

/** The Chinese table of an `english` area: exactly its keys, so a missing or extra one fails. */
export type Chinese<A extends { en: Table }> = Record<keyof A['en'], Entry>;
