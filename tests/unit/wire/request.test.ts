import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_TEMPLATE, TOOLS_TEMPLATE } from '../../../src/lib/wire/params.ts';
import { buildRequest, newTraceId } from '../../../src/lib/wire/request.ts';
import type { ChatMessage, ParamValues } from '../../../src/lib/wire/types.ts';
import type { EndpointConfig } from '../../../src/lib/app-types.ts';
import { endpoint } from './helpers.ts';

/** OpenAPI `nullable: true` → JSON Schema null in `type` (or an anyOf), everywhere. */
function fold(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(fold);
	if (typeof node !== 'object' || node === null) return node;
	const o: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(node)) o[k] = fold(v);
	if (o.nullable === true) {
		delete o.nullable;
		if (typeof o.type === 'string') o.type = [o.type, 'null'];
		else if (Array.isArray(o.type)) o.type = [...(o.type as unknown[]), 'null'];
		else return { anyOf: [o, { type: 'null' }] };
		if (Array.isArray(o.enum)) o.enum = [...(o.enum as unknown[]), null];
	}
	if (typeof o.$ref === 'string') o.$ref = o.$ref.replace('#/components/schemas/', '#/$defs/');
	return o;
}

const corpus = JSON.parse(
	readFileSync(new URL('../../fixtures/corpora/openai-chat-schemas.json', import.meta.url), 'utf8')
) as { $defs: Record<string, unknown> };
const defs = fold(corpus.$defs) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile({ $defs: defs, $ref: '#/$defs/CreateChatCompletionRequest' });

const TWO_TOOLS = JSON.stringify([
	...(JSON.parse(TOOLS_TEMPLATE) as unknown[]),
	{
		type: 'function',
		function: {
			name: 'get_time',
			description: 'Time in a zone',
			strict: true,
			parameters: {
				type: 'object',
				properties: { tz: { type: 'string' } },
				required: ['tz'],
				additionalProperties: false
			}
		}
	}
]);

const simple: ChatMessage[] = [{ role: 'user', content: 'Hello' }];
const rich: ChatMessage[] = [
	{ role: 'system', content: 'You are terse.' },
	{
		role: 'user',
		content: [
			{ type: 'text', text: 'Describe both images.' },
			{ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
			{
				type: 'image_url',
				image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' }
			},
			{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }
		]
	},
	{
		role: 'assistant',
		content: null,
		tool_calls: [
			{
				id: 'call_1',
				type: 'function',
				function: { name: 'get_weather', arguments: '{"city":"Oslo"}' }
			},
			{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } }
		]
	},
	{ role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
	{ role: 'tool', tool_call_id: 'call_2', content: '12:00' },
	{ role: 'assistant', content: 'Cold, noon.' },
	{ role: 'user', content: 'Thanks 你好 🎉' }
];

const combos: Array<[string, ParamValues, ChatMessage[]]> = [
	['nothing set', {}, simple],
	[
		'sampling',
		{ temperature: '0.2', top_p: '0.9', presence_penalty: '1', frequency_penalty: '-1' },
		simple
	],
	[
		'sampling at its bounds',
		{ temperature: '2', top_p: '0', presence_penalty: '-2', frequency_penalty: '2' },
		simple
	],
	['seed and n', { seed: '7', n: '3' }, simple],
	['user', { user: 'user-123' }, simple],
	['stop one', { stop: '###' }, simple],
	['stop four', { stop: 'a\nb\nc\nd' }, simple],
	['logit_bias', { logit_bias: '{"50256":-100,"198":10}' }, simple],
	['max_tokens', { max_tokens: '64' }, simple],
	['max_completion_tokens field', { max_tokens: '64', __field: 'max_completion_tokens' }, simple],
	['max_completion_tokens', { max_completion_tokens: '2048' }, simple],
	['stream', { stream: true }, simple],
	['stream + include_usage', { stream: true, include_usage: true }, simple],
	['tools', { tools: TOOLS_TEMPLATE }, simple],
	['tools auto', { tools: TOOLS_TEMPLATE, tool_choice: 'auto' }, simple],
	['tools none', { tools: TOOLS_TEMPLATE, tool_choice: 'none' }, simple],
	['tools required', { tools: TWO_TOOLS, tool_choice: 'required' }, simple],
	['tools named', { tools: TWO_TOOLS, tool_choice: 'get_time' }, simple],
	['parallel true', { tools: TWO_TOOLS, parallel_tool_calls: 'true' }, rich],
	['parallel false', { tools: TWO_TOOLS, parallel_tool_calls: 'false' }, rich],
	['response text', { response_format: 'text' }, simple],
	['response json_object', { response_format: 'json_object' }, simple],
	[
		'response json_schema template',
		{ response_format: 'json_schema', response_schema: JSON_SCHEMA_TEMPLATE },
		simple
	],
	[
		'response json_schema bare',
		{
			response_format: 'json_schema',
			response_schema: '{"type":"object","properties":{"x":{"type":"string"}}}'
		},
		simple
	],
	['reasoning minimal', { reasoning_effort: 'minimal' }, simple],
	[
		'reasoning high + stream',
		{ reasoning_effort: 'high', stream: true, include_usage: true },
		simple
	],
	['rich thread', {}, rich],
	[
		'rich thread + tools named + stream',
		{ tools: TWO_TOOLS, tool_choice: 'get_weather', stream: true, include_usage: true },
		rich
	],
	[
		'everything',
		{
			temperature: '1',
			top_p: '1',
			n: '2',
			seed: '1',
			stop: 'END',
			logit_bias: '{"1":1}',
			user: 'u',
			max_completion_tokens: '100',
			tools: TWO_TOOLS,
			tool_choice: 'auto',
			parallel_tool_calls: 'true',
			response_format: 'json_object',
			reasoning_effort: 'low',
			stream: true,
			include_usage: true
		},
		rich
	],
	['extra_body known field', { extra_body: '{"temperature":0.3,"store":false}' }, simple],
	[
		'json_schema + tools + rich',
		{
			tools: TOOLS_TEMPLATE,
			response_format: 'json_schema',
			response_schema: JSON_SCHEMA_TEMPLATE
		},
		rich
	]
];

describe('buildRequest bodies validate against CreateChatCompletionRequest', () => {
	it('the schema rejects an invalid body (the check can fail)', () => {
		expect(validate({ model: 'm' })).toBe(false);
		expect(validate({ model: 'm', messages: [{ role: 'wizard', content: 'x' }] })).toBe(false);
		expect(validate({ model: 'm', messages: simple, temperature: 'hot' })).toBe(false);
	});

	for (const [name, params, messages] of combos)
		it(name, () => {
			const { __field, ...values } = params;
			const r = buildRequest({
				endpoint: endpoint({
					tokenLimitField:
						__field === 'max_completion_tokens' ? 'max_completion_tokens' : 'max_tokens'
				}),
				model: 'gpt-4o',
				params: values,
				messages
			});
			expect(r.ok ? [] : r.errors).toEqual([]);
			const body = r.ok ? r.request.body : {};
			const valid = validate(body);
			expect(valid ? [] : (validate.errors ?? []).slice(0, 5)).toEqual([]);
		});

	it('covers the parameter combinations it claims to', () => {
		expect(combos.length).toBeGreaterThanOrEqual(30);
	});
});

const messages: ChatMessage[] = [{ role: 'user', content: 'hi' }];

function build(params: ParamValues, over: Partial<EndpointConfig> = {}, model = 'gpt-test') {
	return buildRequest({ endpoint: endpoint(over), model, params, messages });
}

describe('buildRequest', () => {
	it('missing model → error on model', () => {
		const r = build({}, {}, '   ');
		expect(r).toEqual({ ok: false, errors: { model: { key: 'request.error.model' } } });
	});
	it('bad base URL and bad headers are keyed by their control', () => {
		const r = build({ temperature: '9' }, { baseUrl: 'host.com', extraHeaders: 'nope' });
		expect(r.ok).toBe(false);
		expect(!r.ok && Object.keys(r.errors).sort()).toEqual([
			'baseUrl',
			'extraHeaders',
			'temperature'
		]);
	});
	it('a good request: url, headers with trace id, trimmed model', () => {
		const r = buildRequest({
			endpoint: endpoint({ apiKey: 'k', traceId: true }),
			model: ' m ',
			params: {},
			messages,
			traceId: 'sb-0011'
		});
		expect(r).toEqual({
			ok: true,
			request: {
				url: 'https://gw.example/v1/chat/completions',
				headers: {
					'Content-Type': 'application/json',
					Authorization: 'Bearer k',
					'X-Trace-ID': 'sb-0011'
				},
				body: { model: 'm', messages }
			}
		});
	});
	it('newTraceId is sb- and 16 hex digits, fresh each time', () => {
		const a = newTraceId();
		expect(a).toMatch(/^sb-[0-9a-f]{16}$/);
		expect(newTraceId()).not.toBe(a);
	});
});
