import { describe, expect, it } from 'vitest';
import {
	addArea,
	loadLocale,
	missingKeys,
	pickLocale,
	translate
} from '../../../src/lib/i18n/index.ts';
import { experiment } from '../../../src/lib/i18n/messages/experiment.ts';

// The Chinese tables and the experiment view's strings load on demand; checked with them loaded.
await loadLocale('zh-CN');
addArea(experiment);

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
			['history.title', 'History'],
			['experiment.open', 'Experiments'],
			['experiment.region', 'Experiment'],
			['experiment.importCases', 'Import cases'],
			['experiment.template', 'Prompt template'],
			['experiment.system', 'System prompt'],
			['experiment.check', 'Check'],
			['experiment.addTarget', 'Add target'],
			['experiment.addModels', 'Add models from list'],
			['experiment.repetitions', 'Repetitions'],
			['experiment.concurrency', 'Concurrency'],
			['experiment.run', 'Run experiment'],
			['experiment.stop', 'Stop experiment'],
			['experiment.progress', 'Experiment progress'],
			['experiment.results', 'Results'],
			['experiment.exportCsv', 'Export results']
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
