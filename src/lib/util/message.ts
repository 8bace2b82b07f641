/**
 * A user-facing text as the wire, db and markdown layers produce it: an i18n message key and its
 * variables. Those layers know no language: the key's type is imported as a type only, so they
 * load nothing of i18n, yet a mistyped key fails the type check. Components show it with
 * `Settings.m`.
 */
import type { MessageKey } from '../i18n/keys.ts';

export interface Message {
	key: MessageKey;
	vars?: Record<string, string | number>;
}
