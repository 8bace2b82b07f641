import { describe, expect, it } from 'vitest';
import { PARAMS, TOOLS_TEMPLATE, parseParams, paramSpec } from '../../../src/lib/wire/params.ts';
import { buildRequest } from '../../../src/lib/wire/request.ts';
import type { ChatMessage, ParamValues } from '../../../src/lib/wire/types.ts';
import type { EndpointConfig } from '../../../src/lib/app-types.ts';
import { endpoint } from './helpers.ts';

const messages: ChatMessage[] = [{ role: 'user', content: 'hi' }];

function build(params: ParamValues, over: Partial<EndpointConfig> = {}, model = 'gpt-test') {
	return buildRequest({ endpoint: endpoint(over), model, params, messages });
}

function bodyOf(params: ParamValues, over: Partial<EndpointConfig> = {}) {
	const r = build(params, over);
	if (!r.ok) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
	return r.request.body;
}

function errorsOf(params: ParamValues) {
	return parseParams(params, { tokenLimitField: 'max_tokens' }).errors;
}

describe('unset values', () => {
	it('are not sent: undefined, empty, blank and false', () => {
		const unset: ParamValues = {};
		for (const p of PARAMS) unset[p.key] = p.kind === 'boolean' ? false : '';
		unset.temperature = '   ';
		unset.seed = undefined;
		expect(bodyOf(unset)).toEqual({ model: 'gpt-test', messages });
	});

	it('set values are typed', () => {
		expect(
			bodyOf({ temperature: '0.7', seed: ' 42 ', n: '2', user: 'me', stream: true, stop: 'END' })
		).toEqual({
			model: 'gpt-test',
			messages,
			temperature: 0.7,
			seed: 42,
			n: 2,
			user: 'me',
			stream: true,
			stop: ['END']
		});
	});

	it('every spec has its i18n keys', () => {
		expect(paramSpec('temperature')?.labelKey).toBe('param.temperature');
		expect(paramSpec('temperature')?.helpKey).toBe('param.temperature.help');
		expect(paramSpec('nope')).toBeUndefined();
	});
});

describe('range and type errors', () => {
	const cases: Array<[ParamValues, string, string]> = [
		[{ temperature: '3' }, 'temperature', 'param.error.range'],
		[{ temperature: '-0.1' }, 'temperature', 'param.error.range'],
		[{ temperature: 'hot' }, 'temperature', 'param.error.number'],
		[{ temperature: '1e999' }, 'temperature', 'param.error.number'],
		[{ top_p: '-0.1' }, 'top_p', 'param.error.range'],
		[{ top_p: '1.5' }, 'top_p', 'param.error.range'],
		[{ n: '1.5' }, 'n', 'param.error.integer'],
		[{ n: '0' }, 'n', 'param.error.range'],
		[{ n: '129' }, 'n', 'param.error.range'],
		[{ max_tokens: '0' }, 'max_tokens', 'param.error.min'],
		[{ max_completion_tokens: '-5' }, 'max_completion_tokens', 'param.error.min'],
		[{ presence_penalty: '2.5' }, 'presence_penalty', 'param.error.range'],
		[{ frequency_penalty: '-3' }, 'frequency_penalty', 'param.error.range'],
		[{ seed: '1.2' }, 'seed', 'param.error.integer'],
		[{ seed: 'abc' }, 'seed', 'param.error.number'],
		[{ reasoning_effort: 'extreme' }, 'reasoning_effort', 'param.error.option'],
		[{ response_format: 'yaml' }, 'response_format', 'param.error.option']
	];
	for (const [params, key, want] of cases)
		it(`${JSON.stringify(params)} → ${key}: ${want}`, () => {
			const errors = errorsOf(params);
			expect(Object.keys(errors)).toEqual([key]);
			expect(errors[key]?.key).toBe(want);
			expect(build(params).ok).toBe(false);
		});

	it('range errors carry their bounds', () => {
		expect(errorsOf({ temperature: '3' }).temperature).toEqual({
			key: 'param.error.range',
			vars: { min: 0, max: 2 }
		});
		expect(errorsOf({ max_tokens: '0' }).max_tokens).toEqual({
			key: 'param.error.min',
			vars: { min: 1 }
		});
	});

	it('bounds themselves are accepted', () => {
		expect(bodyOf({ temperature: '2', top_p: '0', n: '128', max_tokens: '1' })).toMatchObject({
			temperature: 2,
			top_p: 0,
			n: 128,
			max_tokens: 1
		});
	});
});

describe('stop', () => {
	it('one line per sequence, up to 4', () => {
		expect(bodyOf({ stop: 'a\nb\r\nc\nd' }).stop).toEqual(['a', 'b', 'c', 'd']);
	});

	it('more than 4 lines → error', () => {
		expect(errorsOf({ stop: 'a\nb\nc\nd\ne' }).stop).toEqual({ key: 'param.error.stopCount' });
	});

	it('keeps spaces inside a sequence', () => {
		expect(bodyOf({ stop: ' END \n###' }).stop).toEqual([' END ', '###']);
	});
});

describe('logit_bias', () => {
	it('valid', () => {
		expect(bodyOf({ logit_bias: '{"50256": -100, "11": 100}' }).logit_bias).toEqual({
			'50256': -100,
			'11': 100
		});
	});
	it('bad token id', () => {
		expect(errorsOf({ logit_bias: '{"hello": 1}' }).logit_bias).toEqual({
			key: 'param.error.tokenId',
			vars: { token: 'hello' }
		});
	});
	it('out-of-range bias', () => {
		expect(errorsOf({ logit_bias: '{"5": 101}' }).logit_bias).toEqual({
			key: 'param.error.bias',
			vars: { token: '5' }
		});
		expect(errorsOf({ logit_bias: '{"5": "1"}' }).logit_bias?.key).toBe('param.error.bias');
	});
	it('not an object / not JSON', () => {
		expect(errorsOf({ logit_bias: '[1]' }).logit_bias?.key).toBe('param.error.object');
		expect(errorsOf({ logit_bias: '{' }).logit_bias?.key).toBe('param.error.json');
	});
});

describe('tools and tool_choice', () => {
	it('the template is valid and sent as parsed JSON', () => {
		const body = bodyOf({ tools: TOOLS_TEMPLATE });
		expect(body.tools).toEqual(JSON.parse(TOOLS_TEMPLATE));
	});
	it('invalid JSON', () => {
		const e = errorsOf({ tools: '[{' }).tools;
		expect(e?.key).toBe('param.error.json');
		expect(typeof e?.vars?.detail).toBe('string');
	});
	it('not an array', () => {
		expect(errorsOf({ tools: '{"type":"function"}' }).tools?.key).toBe('param.error.array');
	});
	it('bad shape', () => {
		expect(errorsOf({ tools: '[{"type":"retrieval"}]' }).tools).toEqual({
			key: 'param.error.toolShape',
			vars: { index: 0 }
		});
	});
	it('bad name', () => {
		const tools = JSON.stringify([
			{ type: 'function', function: { name: 'ok_name' } },
			{ type: 'function', function: { name: 'has space' } }
		]);
		expect(errorsOf({ tools }).tools).toEqual({ key: 'param.error.toolName', vars: { index: 1 } });
		const long = JSON.stringify([{ type: 'function', function: { name: 'x'.repeat(65) } }]);
		expect(errorsOf({ tools: long }).tools?.key).toBe('param.error.toolName');
	});
	it('tool_choice auto/none/required are sent as strings', () => {
		for (const c of ['auto', 'none', 'required'])
			expect(bodyOf({ tools: TOOLS_TEMPLATE, tool_choice: c }).tool_choice).toBe(c);
	});
	it('tool_choice naming a defined tool → named choice', () => {
		expect(bodyOf({ tools: TOOLS_TEMPLATE, tool_choice: 'get_weather' }).tool_choice).toEqual({
			type: 'function',
			function: { name: 'get_weather' }
		});
	});
	it('tool_choice naming an undefined tool → error', () => {
		expect(errorsOf({ tools: TOOLS_TEMPLATE, tool_choice: 'get_time' }).tool_choice).toEqual({
			key: 'param.error.toolChoice',
			vars: { name: 'get_time' }
		});
		expect(errorsOf({ tool_choice: 'get_weather' }).tool_choice?.key).toBe(
			'param.error.toolChoice'
		);
	});
	it('parallel_tool_calls is a boolean', () => {
		expect(bodyOf({ parallel_tool_calls: 'false' }).parallel_tool_calls).toBe(false);
		expect(bodyOf({ parallel_tool_calls: 'true' }).parallel_tool_calls).toBe(true);
	});
});

describe('response_format', () => {
	it('text and json_object', () => {
		expect(bodyOf({ response_format: 'text' }).response_format).toEqual({ type: 'text' });
		expect(bodyOf({ response_format: 'json_object' }).response_format).toEqual({
			type: 'json_object'
		});
	});
	it('json_schema with a wrapped schema', () => {
		const rf = bodyOf({
			response_format: 'json_schema',
			response_schema: '{"name":"answer","strict":true,"schema":{"type":"object"}}'
		}).response_format;
		expect(rf).toEqual({
			type: 'json_schema',
			json_schema: { name: 'answer', strict: true, schema: { type: 'object' } }
		});
	});
	it('json_schema with a bare schema gets a name', () => {
		const body = bodyOf({
			response_format: 'json_schema',
			response_schema: '{"type":"object","properties":{"a":{"type":"number"}}}'
		});
		expect(body.response_format?.type).toBe('json_schema');
		expect(body.response_format).toEqual({
			type: 'json_schema',
			json_schema: {
				name: 'response',
				schema: { type: 'object', properties: { a: { type: 'number' } } }
			}
		});
		expect(body.response_schema).toBeUndefined();
	});
	it('json_schema without a schema → error', () => {
		expect(errorsOf({ response_format: 'json_schema' }).response_format?.key).toBe(
			'param.error.schemaMissing'
		);
	});
});

describe('extra_body', () => {
	it('is merged last, overriding temperature', () => {
		const body = bodyOf({ temperature: '0.5', extra_body: '{"temperature": 0.1, "top_k": 40}' });
		expect(body.temperature).toBe(0.1);
		expect(body.top_k).toBe(40);
		expect(body.extra_body).toBeUndefined();
	});
	it('cannot override messages or model', () => {
		const body = bodyOf({
			extra_body: '{"model":"evil","messages":[],"__proto__":{"x":1},"stream":true}'
		});
		expect(body.model).toBe('gpt-test');
		expect(body.messages).toEqual(messages);
		expect(body.stream).toBe(true);
		expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
	});
	it('must be an object', () => {
		expect(errorsOf({ extra_body: '[1]' }).extra_body?.key).toBe('param.error.object');
		expect(errorsOf({ extra_body: 'x' }).extra_body?.key).toBe('param.error.json');
	});
});

describe('token limit field and usage', () => {
	it('max_tokens goes to max_tokens by default', () => {
		const body = bodyOf({ max_tokens: '100' });
		expect(body.max_tokens).toBe(100);
		expect(body.max_completion_tokens).toBeUndefined();
	});
	it('max_tokens goes to max_completion_tokens when the endpoint says so', () => {
		const body = bodyOf({ max_tokens: '100' }, { tokenLimitField: 'max_completion_tokens' });
		expect(body.max_completion_tokens).toBe(100);
		expect(body.max_tokens).toBeUndefined();
	});
	it('include_usage only with stream', () => {
		expect(bodyOf({ include_usage: true }).stream_options).toBeUndefined();
		expect(bodyOf({ include_usage: true, stream: true }).stream_options).toEqual({
			include_usage: true
		});
		expect(bodyOf({ include_usage: true, stream: true }).include_usage).toBeUndefined();
	});
});
