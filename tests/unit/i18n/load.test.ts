import { describe, expect, it } from 'vitest';
import { loadLocale, translate } from '../../../src/lib/i18n/index.ts';

describe('the Chinese tables', () => {
	it('load on demand: until then a Chinese message falls back to English', async () => {
		await loadLocale('en');
		expect(translate('zh-CN', 'composer.send')).toBe('Send');
		await loadLocale('zh-CN');
		expect(translate('zh-CN', 'composer.send')).toBe('发送');
		expect(translate('en', 'composer.send')).toBe('Send');
	});
});
