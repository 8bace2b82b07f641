import { describe, expect, it } from 'vitest';
import { loadLocale, translate } from '../../../src/lib/i18n/index.ts';

await loadLocale('zh-CN');

describe('counts follow the language’s plural rules', () => {
	it('English: one model, two models, zero models', () => {
		expect(translate('en', 'endpoint.modelsFound', { count: 1 })).toBe(
			'1 model listed by the endpoint'
		);
		expect(translate('en', 'endpoint.modelsFound', { count: 2 })).toBe(
			'2 models listed by the endpoint'
		);
		expect(translate('en', 'endpoint.modelsFound', { count: 0 })).toBe(
			'0 models listed by the endpoint'
		);
	});

	it('every count message in English', () => {
		for (const [key, one, other] of [
			['backup.imported', 'Imported 1 conversation.', 'Imported 3 conversations.'],
			['history.more', '1 older conversation not shown.', '3 older conversations not shown.'],
			[
				'history.moreMatches',
				'1 more matching conversation not shown.',
				'3 more matching conversations not shown.'
			],
			['endpoint.modelsFound', '1 model listed by the endpoint', '3 models listed by the endpoint']
		] as const) {
			expect(translate('en', key, { count: 1 })).toBe(one);
			expect(translate('en', key, { count: 3 })).toBe(other);
		}
	});

	it('Chinese has one form', () => {
		expect(translate('zh-CN', 'endpoint.modelsFound', { count: 1 })).toBe('端点列出了 1 个模型');
		expect(translate('zh-CN', 'endpoint.modelsFound', { count: 5 })).toBe('端点列出了 5 个模型');
		expect(translate('zh-CN', 'backup.imported', { count: 1 })).toBe('已导入 1 个对话。');
	});

	it('a plural message without a count shows its general form, never an object', () => {
		expect(translate('en', 'history.more')).toBe('{count} older conversations not shown.');
	});
});
