import { describe, expect, it } from 'vitest';
import {
	asChunk,
	asResponse,
	isChunk,
	isResponse,
	reasoningText
} from '../../../src/lib/wire/accumulate.ts';
import { fixtureBytes } from './helpers.ts';

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
			{ choices: [{ message: { tool_calls: [{ id: 'a', function: { name: 'f' } }] } }] },
			{ choices: [{ message: 'hi' }] }
		])
			expect(isResponse(bad), JSON.stringify(bad)).toBe(false);
	});
});
