import { describe, expect, it } from 'vitest';
import {
	isMessageKey,
	translate,
	type Locale,
	type MessageKey
} from '../../../src/lib/i18n/index.ts';
import type { Settings } from '../../../src/lib/state/settings.svelte.ts';
import type { Message } from '../../../src/lib/util/message.ts';
import { PARAMS } from '../../../src/lib/wire/params.ts';
import { ROLES } from '../../../src/lib/wire/types.ts';

/*
 * `npm run check` type-checks this file: each `@ts-expect-error` below fails the check when the
 * line under it compiles, i.e. when a mistyped key would no longer be caught.
 */
describe('message keys', () => {
	it('are typed: a mistyped key does not compile', () => {
		// @ts-expect-error 'composer.sned' is not a key.
		expect(translate('en', 'composer.sned')).toBe('composer.sned');
		// @ts-expect-error A key of no area.
		const key: MessageKey = 'no.such.key';
		expect(isMessageKey(key)).toBe(false);
		// Settings.t takes the same keys (a type only: no Settings is built).
		const t: Settings['t'] = (k, vars) => translate('en', k, vars);
		// @ts-expect-error 'header.newchat' is not a key (keys are case-sensitive).
		expect(t('header.newchat')).toBe('header.newchat');
		expect(t('header.newChat')).toBe('New chat');
	});

	it('of a Message (made by wire and db code, which load no i18n) are typed too', () => {
		const ok: Message = { key: 'db.error.other', vars: { name: 'X', detail: 'y' } };
		expect(translate('en', ok.key, ok.vars)).toBe('Saving failed (X): y');
		// @ts-expect-error 'db.error.quotas' is not a key.
		const typo: Message = { key: 'db.error.quotas' };
		expect(isMessageKey(typo.key)).toBe(false);
	});

	it('accept a template literal that names only existing keys', () => {
		const roleLabel = (role: (typeof ROLES)[number]) => translate('en', `role.${role}`);
		expect(ROLES.map(roleLabel)).toEqual(['System', 'You', 'Assistant', 'Tool result']);
		const localeName = (locale: Locale) => translate('en', `locale.${locale}`);
		expect(localeName('zh-CN')).toBe('简体中文');
		// @ts-expect-error `role.${string}` may name a role without a message.
		expect(translate('en', `role.${String('robot')}`)).toBe('role.robot');
	});

	it('of every parameter (its label and help line) exist', () => {
		// Typed by `spec()` in wire/params.ts: an entry without both keys does not compile.
		for (const spec of PARAMS) {
			expect(isMessageKey(spec.labelKey), spec.labelKey).toBe(true);
			expect(isMessageKey(spec.helpKey), spec.helpKey).toBe(true);
		}
	});
});
