/**
 * The request parameters, declared once: each entry drives its control, its help line, its
 * validation and what it puts in the body. Adding a parameter is adding an entry (and its label
 * and help line to the message tables: without them the entry does not compile).
 */
import type { ChatRequest, ParamValues, TokenLimitField, ToolDefinition } from './types.ts';
import type { Message } from '../util/message.ts';
import type { MessageKey } from '../i18n/keys.ts';

export type ParamKind = 'number' | 'integer' | 'boolean' | 'text' | 'lines' | 'json' | 'select';

export interface ParamSpec {
	key: string;
	/** The English label, as the UI contract names the control. */
	label: string;
	labelKey: MessageKey;
	kind: ParamKind;
	min?: number;
	max?: number;
	/** The API's default, shown next to the control. */
	apiDefault?: string;
	helpKey: MessageKey;
	options?: readonly string[];
	group: 'sampling' | 'length' | 'tools' | 'output' | 'advanced';
	placeholder?: string;
	/** A ready value the user can start from (JSON fields). */
	template?: string;
	/** Values offered for a free `text` field (e.g. speech voices); any other is accepted. */
	suggestions?: readonly string[];
	/** Sent when the field is unset (the request needs some value): shown instead of `not sent`. */
	sentDefault?: string;
	/** Puts the parsed value into the body; absent: `body[key] = value`. */
	apply?: (body: Record<string, unknown>, value: unknown, values: ParamValues) => void;
	/** Extra validation after the kind's own; returns a problem or nothing. */
	check?: (value: unknown, values: ParamValues) => Message | undefined;
}

export const TOOLS_TEMPLATE = JSON.stringify(
	[
		{
			type: 'function',
			function: {
				name: 'get_weather',
				description: 'Current weather for a city',
				parameters: {
					type: 'object',
					properties: { city: { type: 'string' } },
					required: ['city']
				}
			}
		}
	],
	null,
	2
);

export const JSON_SCHEMA_TEMPLATE = JSON.stringify(
	{
		name: 'answer',
		strict: true,
		schema: {
			type: 'object',
			properties: { answer: { type: 'number' } },
			required: ['answer'],
			additionalProperties: false
		}
	},
	null,
	2
);

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** A parameter name with both a label (`param.<name>`) and a help line (`param.<name>.help`). */
type ParamName = {
	[K in MessageKey]: K extends `param.${infer N}.help`
		? `param.${N}` extends MessageKey
			? N
			: never
		: never;
}[MessageKey];

/** A parameter whose label or help line is missing from the message tables does not compile. */
function spec<K extends ParamName>(
	s: Omit<ParamSpec, 'key' | 'labelKey' | 'helpKey'> & { key: K }
): ParamSpec {
	return { ...s, labelKey: `param.${s.key}`, helpKey: `param.${s.key}.help` };
}

export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function definedTools(values: ParamValues): string[] {
	try {
		const tools: unknown = JSON.parse(String(values.tools ?? ''));
		return Array.isArray(tools)
			? tools.flatMap((t) => (isObject(t) && isObject(t.function) ? [String(t.function.name)] : []))
			: [];
	} catch {
		return [];
	}
}

export const PARAMS: readonly ParamSpec[] = [
	spec({
		key: 'temperature',
		label: 'Temperature',
		kind: 'number',
		min: 0,
		max: 2,
		apiDefault: '1',
		group: 'sampling'
	}),
	spec({
		key: 'top_p',
		label: 'Top P',
		kind: 'number',
		min: 0,
		max: 1,
		apiDefault: '1',
		group: 'sampling'
	}),
	spec({
		key: 'presence_penalty',
		label: 'Presence penalty',
		kind: 'number',
		min: -2,
		max: 2,
		apiDefault: '0',
		group: 'sampling'
	}),
	spec({
		key: 'frequency_penalty',
		label: 'Frequency penalty',
		kind: 'number',
		min: -2,
		max: 2,
		apiDefault: '0',
		group: 'sampling'
	}),
	spec({ key: 'seed', label: 'Seed', kind: 'integer', group: 'sampling' }),
	spec({
		key: 'n',
		label: 'N',
		kind: 'integer',
		min: 1,
		max: 128,
		apiDefault: '1',
		group: 'sampling'
	}),
	spec({
		key: 'logit_bias',
		label: 'Logit bias',
		kind: 'json',
		group: 'sampling',
		placeholder: '{"50256": -100}',
		check: (v) => {
			if (!isObject(v)) return { key: 'param.error.object' };
			for (const [token, bias] of Object.entries(v)) {
				if (!/^\d+$/.test(token)) return { key: 'param.error.tokenId', vars: { token } };
				if (typeof bias !== 'number' || bias < -100 || bias > 100)
					return { key: 'param.error.bias', vars: { token } };
			}
			return undefined;
		}
	}),
	spec({
		key: 'max_tokens',
		label: 'Max tokens',
		kind: 'integer',
		min: 1,
		group: 'length',
		// Newer models reject max_tokens: the endpoint chooses which field this control fills.
		apply: (body, v, values) => {
			body[
				values.__tokenLimitField === 'max_completion_tokens'
					? 'max_completion_tokens'
					: 'max_tokens'
			] = v as number;
		}
	}),
	spec({
		key: 'max_completion_tokens',
		label: 'Max completion tokens',
		kind: 'integer',
		min: 1,
		group: 'length'
	}),
	spec({
		key: 'stop',
		label: 'Stop sequences',
		kind: 'lines',
		group: 'length',
		placeholder: '###',
		check: (v) => (Array.isArray(v) && v.length > 4 ? { key: 'param.error.stopCount' } : undefined)
	}),
	spec({ key: 'stream', label: 'Stream', kind: 'boolean', apiDefault: 'false', group: 'output' }),
	spec({
		key: 'include_usage',
		label: 'Include usage',
		kind: 'boolean',
		group: 'output',
		apply: (body, v, values) => {
			if (v === true && values.stream === true) body.stream_options = { include_usage: true };
		}
	}),
	spec({
		key: 'response_format',
		label: 'Response format',
		kind: 'select',
		options: ['text', 'json_object', 'json_schema'],
		apiDefault: 'text',
		group: 'output',
		apply: (body, v, values) => {
			if (v === 'json_schema') {
				const schema = parseJson(String(values.response_schema ?? ''));
				if (!isObject(schema)) return;
				body.response_format = {
					type: 'json_schema',
					json_schema: isObject(schema.schema)
						? { name: String(schema.name ?? 'response'), ...schema, schema: schema.schema }
						: { name: 'response', schema }
				} as ChatRequest['response_format'];
			} else body.response_format = { type: v as 'text' | 'json_object' };
		},
		check: (v, values) =>
			v === 'json_schema' && !isObject(parseJson(String(values.response_schema ?? '')))
				? { key: 'param.error.schemaMissing' }
				: undefined
	}),
	spec({
		key: 'response_schema',
		label: 'JSON schema',
		kind: 'json',
		group: 'output',
		placeholder: JSON_SCHEMA_TEMPLATE,
		template: JSON_SCHEMA_TEMPLATE,
		apply: () => undefined,
		check: (v) => (isObject(v) ? undefined : { key: 'param.error.object' })
	}),
	spec({
		key: 'reasoning_effort',
		label: 'Reasoning effort',
		kind: 'select',
		options: ['minimal', 'low', 'medium', 'high'],
		group: 'output'
	}),
	spec({
		key: 'tools',
		label: 'Tools',
		kind: 'json',
		group: 'tools',
		placeholder: TOOLS_TEMPLATE,
		template: TOOLS_TEMPLATE,
		check: (v) => {
			if (!Array.isArray(v)) return { key: 'param.error.array' };
			for (const [i, tool] of v.entries()) {
				if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function))
					return { key: 'param.error.toolShape', vars: { index: i } };
				if (!FUNCTION_NAME.test(String(tool.function.name)))
					return { key: 'param.error.toolName', vars: { index: i } };
			}
			return undefined;
		},
		apply: (body, v) => {
			body.tools = v as ToolDefinition[];
		}
	}),
	spec({
		key: 'tool_choice',
		label: 'Tool choice',
		kind: 'text',
		group: 'tools',
		placeholder: 'auto | none | required | function name',
		check: (v, values) => {
			const s = String(v);
			if (['auto', 'none', 'required'].includes(s)) return undefined;
			return definedTools(values).includes(s)
				? undefined
				: { key: 'param.error.toolChoice', vars: { name: s } };
		},
		apply: (body, v) => {
			const s = String(v);
			body.tool_choice = ['auto', 'none', 'required'].includes(s)
				? (s as 'auto' | 'none' | 'required')
				: { type: 'function', function: { name: s } };
		}
	}),
	spec({
		key: 'parallel_tool_calls',
		label: 'Parallel tool calls',
		kind: 'select',
		options: ['true', 'false'],
		apiDefault: 'true',
		group: 'tools',
		apply: (body, v) => {
			body.parallel_tool_calls = v === 'true';
		}
	}),
	spec({ key: 'user', label: 'User', kind: 'text', group: 'advanced' }),
	spec({
		key: 'extra_body',
		label: 'Extra body',
		kind: 'json',
		group: 'advanced',
		placeholder: '{"top_k": 40}',
		check: (v) => (isObject(v) ? undefined : { key: 'param.error.object' }),
		// Merged last by parseParams, so it may override anything but `messages`.
		apply: () => undefined
	})
];

export function paramSpec(key: string): ParamSpec | undefined {
	return PARAMS.find((p) => p.key === key);
}

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** One raw value → its typed value, or a problem. Unset values never reach here. */
function parseValue(
	p: ParamSpec,
	raw: string | boolean
): { value: unknown } | { problem: Message } {
	if (p.kind === 'boolean') return { value: raw === true };
	const text = String(raw).trim();
	switch (p.kind) {
		case 'number':
		case 'integer': {
			const n = Number(text);
			if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || !Number.isFinite(n))
				return { problem: { key: 'param.error.number', vars: { value: text } } };
			if (p.kind === 'integer' && !Number.isInteger(n))
				return { problem: { key: 'param.error.integer' } };
			if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max))
				return {
					problem:
						p.max === undefined
							? { key: 'param.error.min', vars: { min: p.min ?? 0 } }
							: { key: 'param.error.range', vars: { min: p.min ?? '−∞', max: p.max } }
				};
			return { value: n };
		}
		case 'lines': {
			const lines = String(raw)
				.split(/\r?\n/)
				.filter((l) => l !== '');
			return { value: lines };
		}
		case 'json':
			try {
				return { value: JSON.parse(text) };
			} catch (err) {
				return {
					problem: {
						key: 'param.error.json',
						vars: { detail: err instanceof Error ? err.message : String(err) }
					}
				};
			}
		case 'select':
			return p.options?.includes(text)
				? { value: text }
				: {
						problem: { key: 'param.error.option', vars: { options: (p.options ?? []).join(', ') } }
					};
		default:
			return { value: text };
	}
}

export function isUnset(raw: string | boolean | undefined): raw is undefined {
	return raw === undefined || raw === false || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * Raw values → body fields, by `specs`. Unset values are not sent; every problem is keyed by its
 * control. `extra_body` is merged last and may override any field but those in `protect`.
 */
export function applyParams(
	specs: readonly ParamSpec[],
	values: ParamValues,
	context: ParamValues,
	protect: readonly string[]
): { fields: Record<string, unknown>; errors: Record<string, Message> } {
	const fields: Record<string, unknown> = {};
	const errors: Record<string, Message> = {};
	for (const p of specs) {
		const raw = values[p.key];
		if (isUnset(raw)) continue;
		const parsed = parseValue(p, raw);
		if ('problem' in parsed) {
			errors[p.key] = parsed.problem;
			continue;
		}
		const problem = p.check?.(parsed.value, context);
		if (problem) {
			errors[p.key] = problem;
			continue;
		}
		if (p.apply) p.apply(fields, parsed.value, context);
		else fields[p.key] = parsed.value;
	}
	if (!isUnset(values.extra_body) && !errors.extra_body) {
		const extra = parseJson(String(values.extra_body)) as Record<string, unknown>;
		for (const [k, v] of Object.entries(extra)) {
			if (protect.includes(k) || k === '__proto__') continue;
			fields[k] = v;
		}
	}
	return { fields, errors };
}

/**
 * Raw values → chat body fields. Unset values are not sent; every problem is keyed by its control.
 * `extra_body` is merged last and may override any field but `messages` and `model`.
 */
export function parseParams(
	values: ParamValues,
	opts: { tokenLimitField: TokenLimitField }
): { fields: Partial<ChatRequest>; errors: Record<string, Message> } {
	const context: ParamValues = { ...values, __tokenLimitField: opts.tokenLimitField };
	return applyParams(PARAMS, values, context, ['messages', 'model']);
}
