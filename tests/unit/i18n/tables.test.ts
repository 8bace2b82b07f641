import { describe, expect, it } from 'vitest';
import { missingKeys, pickLocale, translate } from '../../../src/lib/i18n/index.ts';

describe('message tables', () => {
	it('have every key in both English and Simplified Chinese', () => {
		expect(missingKeys()).toEqual({ en: [], zh: [] });
	});

	it('keep the UI contract’s English names', () => {
		for (const [key, name] of [
			['endpoint.baseUrl', 'Base URL'],
			['endpoint.apiKey', 'API key'],
			['endpoint.preset', 'Preset'],
			['endpoint.model', 'Model'],
			['endpoint.presetName', 'Preset name'],
			['endpoint.savePreset', 'Save preset'],
			['composer.send', 'Send'],
			['composer.stop', 'Stop'],
			['composer.message', 'Message'],
			['composer.attach', 'Attach image'],
			['header.addColumn', 'Add column'],
			['header.newChat', 'New chat'],
			['column.remove', 'Remove column'],
			['column.parameters', 'Parameters'],
			['column.raw', 'Raw request'],
			['column.code', 'Code'],
			['column.system', 'System prompt'],
			['backup.export', 'Export'],
			['backup.import', 'Import'],
			['history.title', 'History']
		] as const) {
			expect(translate('en', key)).toBe(name);
		}
	});

	it('fills placeholders and falls back to English, then to the key', () => {
		expect(translate('zh-CN', 'column.title', { n: 2 })).toBe('第 2 列');
		expect(translate('en', 'column.title', { n: 2 })).toBe('Column 2');
		// @ts-expect-error A key an older release had, read back from storage.
		expect(translate('zh-CN', 'no.such.key')).toBe('no.such.key');
	});

	it('follows the browser language on first start', () => {
		expect(pickLocale(['zh-TW', 'en'])).toBe('zh-CN');
		expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
		expect(pickLocale(['de'])).toBe('en');
	});
});
