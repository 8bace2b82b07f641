import { describe, expect, it } from 'vitest';
import { toolCallNames } from '../../../src/lib/util/tool-names.ts';
import type { ToolCall } from '../../../src/lib/wire/types.ts';

const call = (id: string, name: string): ToolCall => ({
	id,
	type: 'function',
	function: { name, arguments: '{}' }
});

describe('tool call names', () => {
	it('numbers calls of the same function and leaves single calls alone', () => {
		expect(
			toolCallNames([call('a', 'get_weather'), call('b', 'lookup'), call('c', 'get_weather')])
		).toEqual(['get_weather #1', 'lookup', 'get_weather #2']);
	});

	it('counts tools named like Object.prototype members as any other', () => {
		expect(toolCallNames([call('a', 'constructor'), call('b', 'toString')])).toEqual([
			'constructor',
			'toString'
		]);
		expect(toolCallNames([call('a', '__proto__'), call('b', '__proto__')])).toEqual([
			'__proto__ #1',
			'__proto__ #2'
		]);
	});
});
