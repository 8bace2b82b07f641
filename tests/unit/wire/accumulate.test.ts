import { describe, expect, it } from 'vitest';
import {
	asChunk,
	asResponse,
	createAccumulator,
	isChunk,
	isResponse,
	knownUsage,
	ProtocolError,
	reasoningText
} from '../../../src/lib/wire/accumulate.ts';
import type { ChatChunk, ToolCallDelta } from '../../../src/lib/wire/types.ts';
import { fixtureBytes } from './helpers.ts';
import { checkUsage } from '../../../src/lib/db/row-check.ts';

describe('reasoningText: what the Reasoning part shows', () => {
	const choice = (index: number, reasoning: string) => ({
		index,
		content: 'x',
		reasoning,
		toolCalls: []
	});

	it('is empty for n > 1 choices without reasoning (no empty Reasoning part)', () => {
		expect(reasoningText([choice(0, ''), choice(1, ''), choice(2, '')])).toBe('');
		expect(reasoningText([choice(0, '\n'), choice(1, ' ')])).toBe('');
	});

	it('joins only the choices that reasoned', () => {
		expect(reasoningText([choice(0, ''), choice(1, 'Think B.'), choice(2, 'Think C.')])).toBe(
			'Think B.\n\nThink C.'
		);
		expect(reasoningText([choice(0, 'Only one.')])).toBe('Only one.');
	});
});

describe('isChunk / isResponse: what the accumulator may read', () => {
	const fixtures = [
		'crlf.sse',
		'data-no-space.sse',
		'comments-keepalive.sse',
		'utf8-split.sse',
		'usage-empty-choices.sse',
		'no-done.sse',
		'tool-calls.sse',
		'reasoning.sse',
		'n2.sse',
		'error-in-stream.sse'
	];

	it('accepts every chunk of the SSE fixtures', () => {
		let seen = 0;
		for (const name of fixtures) {
			const text = new TextDecoder().decode(fixtureBytes(name));
			for (const line of text.split(/\r?\n/)) {
				const data = /^data: ?(.*)$/.exec(line)?.[1];
				if (!data || data === '[DONE]') continue;
				expect(isChunk(JSON.parse(data)), `${name}: ${data}`).toBe(true);
				seen++;
			}
		}
		expect(seen).toBeGreaterThan(30);
	});

	it('accepts what gateways leave out or set to null', () => {
		for (const v of [
			{},
			{ choices: [] },
			{ choices: [], usage: { total_tokens: 5 } },
			{ usage: null, choices: [{ delta: { content: null, role: 'assistant' } }] },
			{ choices: [{ index: 0, finish_reason: 'stop' }] },
			{ choices: [{ delta: { tool_calls: [{ function: { arguments: '}' } }] } }] },
			{ error: { message: 'overloaded' } },
			{ error: 'overloaded' }
		])
			expect(asChunk(v), JSON.stringify(v)).toBe(v);
	});

	it.each([
		['null', null],
		['a number', 42],
		['an array', [{ choices: [] }]],
		['choices not a list', { choices: { 0: {} } }],
		['content not a string', { choices: [{ delta: { content: { text: 'x' } } }] }],
		['reasoning not a string', { choices: [{ delta: { reasoning_content: 7 } }] }],
		['a fractional index', { choices: [{ index: 0.5, delta: {} }] }],
		['a negative index', { choices: [{ index: -1, delta: {} }] }],
		['tool_calls not a list', { choices: [{ delta: { tool_calls: {} } }] }],
		[
			'tool call arguments not a string',
			{ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: {} } }] } }] }
		],
		['a tool call of another type', { choices: [{ delta: { tool_calls: [{ type: 'x' }] } }] }],
		['usage counts as strings', { choices: [], usage: { total_tokens: '5' } }],
		['model not a string', { model: 5, choices: [] }]
	])('rejects a chunk with %s', (_, v) => {
		expect(isChunk(v)).toBe(false);
		expect(asChunk(v)).toBeUndefined();
	});

	it('accepts an OpenAI response and rejects one it cannot read', () => {
		const ok = {
			id: 'c',
			object: 'chat.completion',
			created: 1,
			model: 'm',
			choices: [
				{
					index: 0,
					message: {
						role: 'assistant',
						content: null,
						tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }]
					},
					finish_reason: 'tool_calls'
				}
			],
			usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }
		};
		expect(asResponse(ok)).toBe(ok);
		expect(isResponse({ choices: [{ message: { content: 'x' } }] })).toBe(true);
		for (const bad of [
			{},
			{ choices: null },
			{ choices: [{ message: { content: 5 } }] },
			{ choices: [{ message: { tool_calls: [{ id: 'a', function: { name: 7 } }] } }] },
			{ choices: [{ message: { tool_calls: [null] } }] },
			{ choices: [{ message: 'hi' }] }
		])
			expect(isResponse(bad), JSON.stringify(bad)).toBe(false);
	});
});

describe('tool calls: kept by index, handed on as a dense list', () => {
	const calls = (...deltas: ToolCallDelta[][]) => {
		const acc = createAccumulator(0);
		for (const tool_calls of deltas)
			acc.push({ choices: [{ index: 0, delta: { tool_calls } }] } as ChatChunk, 1);
		return acc.snapshot().choices[0]?.toolCalls;
	};
	const fn = (name: string, args = '') => ({ name, arguments: args });

	it('a first index of 1 (Anthropic after text) gives one call, no hole', () => {
		const got = calls(
			[{ index: 1, id: 'a', type: 'function', function: fn('f', '{"x"') }],
			[{ index: 1, function: { arguments: ':1}' } }]
		);
		expect(got).toEqual([{ id: 'a', type: 'function', function: fn('f', '{"x":1}') }]);
		// Dense: every entry is a call (an array hole would throw in the tool-call view).
		expect(Object.keys(got ?? [])).toEqual(['0']);
	});

	it('gaps keep index order, and index 1024 is cheap', () => {
		const got = calls(
			[{ index: 1024, id: 'c', function: fn('h') }],
			[{ index: 7, id: 'b', function: fn('g') }],
			[{ index: 2, id: 'a', function: fn('f') }]
		);
		expect(got?.map((c) => c.id)).toEqual(['a', 'b', 'c']);
	});

	it.each([[1025], [100_000_000], [-1], [1.5]])('refuses index %s as a protocol error', (index) => {
		expect(() => calls([{ index, id: 'a', function: fn('f') }])).toThrow(ProtocolError);
		expect(() => calls([{ index, id: 'a', function: fn('f') }])).toThrow(`index ${index}`);
	});

	it('keeps duplicate and missing ids and names as sent', () => {
		const got = calls([
			{ index: 0, id: 'same', function: fn('f') },
			{ index: 1, id: 'same', function: fn('g') },
			{ index: 2, function: { arguments: '{}' } }
		]);
		expect(got?.map((c) => [c.id, c.function.name])).toEqual([
			['same', 'f'],
			['same', 'g'],
			['', '']
		]);
	});

	it("keeps a provider's own fields (Gemini's thought signature), streamed and not", () => {
		const extra = { google: { thought_signature: 'sig' } };
		const streamed = calls(
			[{ index: 0, id: 'a', function: fn('f'), extra_content: extra }],
			[{ index: 0, function: { arguments: '{}' } }]
		);
		expect(streamed?.[0]).toEqual({
			id: 'a',
			type: 'function',
			function: fn('f', '{}'),
			extra_content: extra
		});
		const acc = createAccumulator(0);
		acc.setResponse(
			{
				choices: [
					{ message: { tool_calls: [{ function: { arguments: '{}' }, extra_content: extra }] } }
				]
			},
			1
		);
		expect(acc.snapshot().choices[0]?.toolCalls).toEqual([
			{ id: '', type: 'function', function: fn('', '{}'), extra_content: extra }
		]);
	});

	it('a chunk with a null tool call or non-string content is refused before the accumulator', () => {
		expect(asChunk({ choices: [{ delta: { tool_calls: [null] } }] })).toBeUndefined();
		expect(asChunk({ choices: [null] })).toBeUndefined();
		expect(asChunk({ choices: [{ delta: { content: ['x'] } }] })).toBeUndefined();
	});
});

describe('usage: only the fields the app reads are kept', () => {
	it('drops what a gateway adds, so the stored answer passes the backup check', () => {
		const usage = JSON.parse(
			'{"prompt_tokens":3,"total_tokens":5,"cost":0.2,"__proto__":{"x":1},' +
				'"completion_tokens_details":{"reasoning_tokens":1,"audio_tokens":0}}'
		) as ChatChunk['usage'];
		const acc = createAccumulator(0);
		acc.push({ choices: [], usage }, 1);
		const kept = acc.snapshot().usage;
		expect(kept).toEqual({
			prompt_tokens: 3,
			total_tokens: 5,
			completion_tokens_details: { reasoning_tokens: 1 }
		});
		expect(Object.keys(kept ?? {})).not.toContain('__proto__');
		// What an import of the exported row checks: it must not refuse the answer.
		expect(() =>
			checkUsage({ usage: JSON.parse(JSON.stringify(kept)) }, 'usage', 'a')
		).not.toThrow();
		expect(knownUsage({})).toEqual({});
	});
});
