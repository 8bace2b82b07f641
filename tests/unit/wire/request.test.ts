import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import {
	DEFAULT_ENDPOINT,
	buildHeaders,
	maskHeaders,
	parseHeaderLines,
	resolveChatUrl,
	resolveModelsUrl
} from '../../../src/lib/wire/endpoint.ts';
import { buildRequest } from '../../../src/lib/wire/request.ts';
import { TOOLS_TEMPLATE } from '../../../src/lib/wire/params.ts';
import {
	toCurl,
	toJavaScript,
	toPythonOpenAI,
	toPythonRequests
} from '../../../src/lib/wire/codegen.ts';
import { checkJson } from '../../../src/lib/wire/schema-check.ts';
import type {
	ChatMessage,
	ChatRequest,
	EndpointConfig,
	ParamValues
} from '../../../src/lib/wire/types.ts';

const endpoint: EndpointConfig = {
	...DEFAULT_ENDPOINT,
	baseUrl: 'https://gw.example/v1',
	apiKey: 'sk-test-key-123'
};
const user: ChatMessage[] = [{ role: 'user', content: 'hi' }];
const build = (params: ParamValues, e: Partial<EndpointConfig> = {}, messages = user) =>
	buildRequest({ endpoint: { ...endpoint, ...e }, model: 'gpt-x', params, messages });

describe('base URL resolution (ui-contract)', () => {
	it.each([
		['https://host/v1', 'https://host/v1/chat/completions'],
		['https://host/v1/', 'https://host/v1/chat/completions'],
		['  https://host/v1/chat/completions  ', 'https://host/v1/chat/completions'],
		['https://host', 'https://host/v1/chat/completions'],
		['https://host/', 'https://host/v1/chat/completions'],
		['https://host/api/openai', 'https://host/api/openai/chat/completions'],
		['http://127.0.0.1:8787/v1', 'http://127.0.0.1:8787/v1/chat/completions']
	])('%s → %s', (base, url) => {
		expect(resolveChatUrl(base)).toEqual({ ok: true, url });
	});

	it('explains what is wrong with what cannot be a URL', () => {
		expect(resolveChatUrl('host.example/v1')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.invalid', vars: { suggestion: 'https://host.example/v1' } }
		});
		expect(resolveChatUrl('ftp://host')).toMatchObject({
			ok: false,
			message: { key: 'endpoint.error.scheme' }
		});
		expect(resolveChatUrl('')).toMatchObject({ ok: false });
	});

	it('finds /models next to the chat URL', () => {
		expect(resolveModelsUrl('https://host/v1/chat/completions')).toBe('https://host/v1/models');
		expect(resolveModelsUrl('https://host')).toBe('https://host/v1/models');
	});
});

describe('headers', () => {
	it('sends the key as the endpoint wants it', () => {
		const h = (e: Partial<EndpointConfig>) => buildHeaders({ ...endpoint, ...e });
		expect(h({})).toMatchObject({ ok: true, headers: { Authorization: 'Bearer sk-test-key-123' } });
		expect(h({ authMode: 'raw' })).toMatchObject({
			ok: true,
			headers: { Authorization: 'sk-test-key-123' }
		});
		const custom = h({ authMode: 'header', authHeader: 'x-api-key' });
		expect(custom).toMatchObject({ ok: true, headers: { 'x-api-key': 'sk-test-key-123' } });
		expect(custom.ok && 'Authorization' in custom.headers).toBe(false);
		const none = h({ apiKey: '' });
		expect(none.ok && Object.keys(none.headers)).toEqual(['Content-Type']);
	});

	it('reads extra header lines and names the bad one', () => {
		expect(parseHeaderLines('X-Trace-ID: abc\n\nX-Other:  two words ')).toEqual({
			ok: true,
			headers: { 'X-Trace-ID': 'abc', 'X-Other': 'two words' }
		});
		expect(parseHeaderLines('Good: 1\nno colon here')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.headerLine', vars: { line: 2 } }
		});
	});

	it('masks the key wherever it appears', () => {
		const masked = maskHeaders(
			{ Authorization: 'Bearer sk-test-key-123', 'x-k': 'sk-test-key-123' },
			'sk-test-key-123'
		);
		expect(JSON.stringify(masked)).not.toContain('sk-test-key-123');
		expect(masked.Authorization).toBe('Bearer sk-…-123');
	});
});

describe('request building', () => {
	it('sends nothing that is unset', () => {
		const r = build({ temperature: '', top_p: '  ', stream: false, stop: '' });
		expect(r.ok && r.request.body).toEqual({ model: 'gpt-x', messages: user });
	});

	it.each([
		['temperature', '3', 'param.error.range'],
		['top_p', '-0.1', 'param.error.range'],
		['n', '1.5', 'param.error.integer'],
		['max_tokens', '0', 'param.error.min'],
		['seed', 'abc', 'param.error.number'],
		['stop', 'a\nb\nc\nd\ne', 'param.error.stopCount'],
		['logit_bias', '{"abc": 1}', 'param.error.tokenId'],
		['logit_bias', '{"50256": 101}', 'param.error.bias'],
		['tools', '[{"type": "function"', 'param.error.json'],
		['tools', '{}', 'param.error.array'],
		['tools', '[{"type":"function","function":{"name":"bad name"}}]', 'param.error.toolName'],
		['tool_choice', 'nope', 'param.error.toolChoice'],
		['extra_body', '[1]', 'param.error.object']
	])('refuses %s = %j with %s', (key, value, problem) => {
		const r = build({ [key]: value });
		expect(r.ok).toBe(false);
		expect(!r.ok && r.errors[key]?.key).toBe(problem);
	});

	it('needs a model and a valid base URL', () => {
		const r = buildRequest({
			endpoint: { ...endpoint, baseUrl: 'nope' },
			model: ' ',
			params: {},
			messages: user
		});
		expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['baseUrl', 'model']);
	});

	it('builds tools, tool_choice, response_format, stream options and merges extra body last', () => {
		const r = build({
			tools: TOOLS_TEMPLATE,
			tool_choice: 'get_weather',
			parallel_tool_calls: 'false',
			response_format: 'json_schema',
			response_schema: '{"type":"object","properties":{"a":{"type":"number"}}}',
			stream: true,
			include_usage: true,
			temperature: '0.5',
			extra_body: '{"temperature": 0.9, "top_k": 40, "messages": [], "model": "evil"}'
		});
		expect(r.ok).toBe(true);
		const body: Partial<ChatRequest> = r.ok ? r.request.body : {};
		expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
		expect(body.parallel_tool_calls).toBe(false);
		expect(body.response_format).toEqual({
			type: 'json_schema',
			json_schema: {
				name: 'response',
				schema: { type: 'object', properties: { a: { type: 'number' } } }
			}
		});
		expect(body.stream_options).toEqual({ include_usage: true });
		expect(body.temperature).toBe(0.9);
		expect(body.top_k).toBe(40);
		expect(body.messages).toEqual(user);
		expect(body.model).toBe('gpt-x');
	});

	it('sends Max tokens as max_completion_tokens when the endpoint says so, and usage only when streaming', () => {
		const r = build(
			{ max_tokens: '50', include_usage: true },
			{ tokenLimitField: 'max_completion_tokens' }
		);
		expect(r.ok && r.request.body).toEqual({
			model: 'gpt-x',
			messages: user,
			max_completion_tokens: 50
		});
	});
});

describe('request bodies are valid CreateChatCompletionRequest', () => {
	const corpus = JSON.parse(
		readFileSync(
			new URL('../../fixtures/corpora/openai-chat-schemas.json', import.meta.url),
			'utf8'
		)
	) as Record<string, unknown>;

	/** OpenAPI 3.1 `nullable: true` → JSON Schema `type: [..., "null"]`; refs into `$defs`. */
	function fold(node: unknown): unknown {
		if (Array.isArray(node)) return node.map(fold);
		if (typeof node !== 'object' || node === null) return node;
		const o = { ...(node as Record<string, unknown>) };
		if (o.nullable === true) {
			delete o.nullable;
			if (typeof o.type === 'string') o.type = [o.type, 'null'];
			else if (!o.type) return { anyOf: [fold(o), { type: 'null' }] };
		}
		if (typeof o.$ref === 'string') o.$ref = o.$ref.replace('#/components/schemas/', '#/$defs/');
		for (const [k, v] of Object.entries(o)) o[k] = fold(v);
		return o;
	}
	const schema = fold(corpus) as Record<string, unknown>;
	const defs = (schema.$defs ?? schema) as Record<string, unknown>;
	const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
	const validate = ajv.compile({ $defs: defs, $ref: '#/$defs/CreateChatCompletionRequest' });

	const thread: ChatMessage[] = [
		{ role: 'system', content: 'Be brief.' },
		{
			role: 'user',
			content: [
				{ type: 'text', text: 'What is this?' },
				{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
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
					function: { name: 'get_weather', arguments: '{"city":"Paris"}' }
				}
			]
		},
		{ role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
		{ role: 'assistant', content: 'It is 21 °C.' },
		{ role: 'user', content: 'Thanks' }
	];
	const combos: ParamValues[] = [
		{},
		{ temperature: '0', top_p: '1', n: '1' },
		{ temperature: '2', presence_penalty: '-2', frequency_penalty: '2', seed: '42' },
		{ max_tokens: '256', stop: 'END' },
		{ max_completion_tokens: '1024', stop: 'a\nb\nc\nd' },
		{ logit_bias: '{"50256": -100, "1000": 5}', user: 'u-1' },
		{ stream: true },
		{ stream: true, include_usage: true },
		{ tools: TOOLS_TEMPLATE },
		{ tools: TOOLS_TEMPLATE, tool_choice: 'auto' },
		{ tools: TOOLS_TEMPLATE, tool_choice: 'none' },
		{ tools: TOOLS_TEMPLATE, tool_choice: 'required', parallel_tool_calls: 'true' },
		{ tools: TOOLS_TEMPLATE, tool_choice: 'get_weather', parallel_tool_calls: 'false' },
		{ response_format: 'text' },
		{ response_format: 'json_object' },
		{
			response_format: 'json_schema',
			response_schema:
				'{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"number"}},"required":["a"],"additionalProperties":false}}'
		},
		{ reasoning_effort: 'low', max_completion_tokens: '500' },
		{ reasoning_effort: 'high', stream: true, include_usage: true, seed: '1', n: '3' }
	];
	for (const [i, params] of combos.entries()) {
		it(`combination ${i}: ${JSON.stringify(params).slice(0, 80)}`, () => {
			for (const messages of [user, thread]) {
				const r = build(params, {}, messages);
				expect(r.ok).toBe(true);
				const ok = r.ok && validate(r.request.body);
				expect(ok ? [] : validate.errors?.slice(0, 3)).toEqual([]);
			}
		});
	}
});

describe('code export', () => {
	const r = build({ stream: true }, {}, [
		{ role: 'system', content: 'It\'s "quoted"\nand — ✓ $HOME `x`' },
		...user
	]);
	const request = r.ok ? r.request : undefined;

	it('cURL reproduces the body byte for byte and reads the key from the environment', () => {
		if (!request) throw new Error('no request');
		const curl = toCurl(request, { apiKey: endpoint.apiKey, includeKey: false });
		expect(curl).not.toContain('sk-test-key-123');
		expect(curl).toContain('$OPENAI_API_KEY');
		const data = /-d '((?:[^']|'\\'')*)'$/.exec(curl)?.[1] ?? '';
		expect(JSON.parse(data.replace(/'\\''/g, "'"))).toEqual(request.body);
		expect(toCurl(request, { apiKey: endpoint.apiKey, includeKey: true })).toContain(
			'Bearer sk-test-key-123'
		);
	});

	it('JavaScript and Python use the URL and the environment variable', () => {
		if (!request) throw new Error('no request');
		for (const make of [toJavaScript, toPythonOpenAI, toPythonRequests]) {
			const code = make(request, { apiKey: endpoint.apiKey, includeKey: false });
			expect(code).toContain('OPENAI_API_KEY');
			expect(code).not.toContain('sk-test-key-123');
			expect(code).toMatch(/gw\.example\/v1/);
		}
		expect(toPythonOpenAI(request, { apiKey: '', includeKey: false })).toContain('stream=True');
	});
});

describe('structured output check', () => {
	const schema = {
		type: 'object',
		properties: { answer: { type: 'number' } },
		required: ['answer']
	};
	it('accepts matching JSON and names what is wrong otherwise', () => {
		expect(checkJson('{"answer": 42}', schema)).toEqual({ ok: true });
		const missing = checkJson('{"other": 1}', schema);
		expect(missing.ok).toBe(false);
		expect(!missing.ok && missing.errors[0]?.message).toMatch(/answer/);
		const wrongType = checkJson('{"answer": "x"}', schema);
		expect(!wrongType.ok && wrongType.errors.some((e) => e.path === '/answer')).toBe(true);
		expect(checkJson('not json').ok).toBe(false);
	});
});
