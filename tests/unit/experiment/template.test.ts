import { describe, expect, it } from 'vitest';
import type { ExperimentCase } from '../../../src/lib/experiment/cases.ts';
import {
	fillTemplate,
	placeholders,
	templateProblem
} from '../../../src/lib/experiment/template.ts';

describe('prompt template', () => {
	it('lists each name once and fills every occurrence', () => {
		const template = 'Translate {{ text }} to {{lang}}. Again: {{text}}';
		expect(placeholders(template)).toEqual(['text', 'lang']);
		expect(fillTemplate(template, { text: 'hi', lang: 'zh' })).toBe(
			'Translate hi to zh. Again: hi'
		);
	});

	it('fills a value literally, even one that looks like a placeholder or a replacement pattern', () => {
		expect(fillTemplate('{{a}} {{b}}', { a: '{{b}}', b: '$& $1' })).toBe('{{b}} $& $1');
	});

	it('names the first case lacking a variable, and refuses an empty template', () => {
		const cases: ExperimentCase[] = [{ vars: { text: 'x', lang: 'en' } }, { vars: { text: 'y' } }];
		expect(templateProblem('{{text}} in {{lang}}', cases)).toEqual({
			key: 'experiment.template.unknown',
			vars: { case: 2, name: 'lang' }
		});
		expect(templateProblem('{{text}}', cases)).toBeUndefined();
		expect(templateProblem('  ', cases)).toEqual({ key: 'experiment.template.empty' });
	});

	it('does not take an inherited property for a variable', () => {
		expect(templateProblem('{{constructor}}', [{ vars: {} }])).toMatchObject({
			vars: { name: 'constructor' }
		});
		expect(fillTemplate('{{toString}}', {})).toBe('{{toString}}');
	});
});
