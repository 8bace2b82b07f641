/** Chunks → the answer so far: choices by index, tool calls joined by index, usage, timing. */
import type {
	Answer,
	AnswerChoice,
	ChatChunk,
	ChatResponse,
	ResponseToolCall,
	ToolCall,
	ToolCallDelta,
	Usage
} from './types.ts';

/**
 * The highest tool-call index taken as real. Calls are kept by index, so a larger one costs
 * nothing, but no model makes a thousand calls in one turn: such an index is a broken server.
 */
export const MAX_TOOL_INDEX = 1024;

/** A chunk the accumulator cannot use although it parsed: the server broke the protocol. */
export class ProtocolError extends Error {
	override name = 'ProtocolError';
}

/** The fields of a tool call the wire defines; any other is a provider's and is kept as sent. */
const TOOL_FIELDS = new Set(['index', 'id', 'type', 'function']);

/** A provider's own fields of a tool call (e.g. Gemini's `extra_content`), to send back. */
function providerFields(call: ToolCallDelta | ResponseToolCall): Record<string, unknown> {
	return Object.fromEntries(Object.entries(call).filter(([k]) => !TOOL_FIELDS.has(k)));
}

/** A whole tool call as the answer keeps it: missing id or name as '', provider fields kept. */
function wholeCall(call: ResponseToolCall): ToolCall {
	return {
		...providerFields(call),
		id: call.id ?? '',
		type: 'function',
		function: { name: call.function.name ?? '', arguments: call.function.arguments ?? '' }
	};
}

/**
 * The usage fields the app reads, and only those: whatever else a gateway adds (a `cost`, or a
 * `__proto__` key from a hostile one) is not stored, so every stored answer passes the backup's
 * own check when it is imported again.
 */
export function knownUsage(u: Usage): Usage {
	const out: Usage = {};
	for (const k of ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const)
		if (typeof u[k] === 'number') out[k] = u[k];
	const reasoning = u.completion_tokens_details?.reasoning_tokens;
	if (typeof reasoning === 'number')
		out.completion_tokens_details = { reasoning_tokens: reasoning };
	const cached = u.prompt_tokens_details?.cached_tokens;
	if (typeof cached === 'number') out.prompt_tokens_details = { cached_tokens: cached };
	return out;
}

/*
 * Validating parses: what a gateway sent, checked field by field against the type before the
 * accumulator reads it. Absent fields are fine (gateways leave many out); a field of the wrong
 * type makes the whole value unreadable, so a malformed event is skipped instead of putting
 * `[object Object]` into an answer. A few typeof checks per chunk: cheap next to JSON.parse.
 */
type Fields = Record<string, unknown>;

function isFields(v: unknown): v is Fields {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Absent, or a string; `null` too where the type says `| null`. */
const str = (v: unknown, nullable = false) =>
	v === undefined || typeof v === 'string' || (nullable && v === null);
const num = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const index = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);
const listOf = (v: unknown, item: (x: unknown) => boolean, nullable = false) =>
	v === undefined || (nullable && v === null) || (Array.isArray(v) && v.every(item));

function isUsage(v: unknown): v is Usage | null | undefined {
	if (v === undefined || v === null) return true;
	if (!isFields(v)) return false;
	const details = (d: unknown, key: string) =>
		d === undefined || d === null || (isFields(d) && num(d[key]));
	return (
		num(v.prompt_tokens) &&
		num(v.completion_tokens) &&
		num(v.total_tokens) &&
		details(v.completion_tokens_details, 'reasoning_tokens') &&
		details(v.prompt_tokens_details, 'cached_tokens')
	);
}

/*
 * A tool call's index is read as any number here: push refuses one it cannot use as a protocol
 * error quoting the event, rather than skipping the event unseen.
 */
function isToolCallDelta(v: unknown): boolean {
	if (!isFields(v) || !num(v.index) || !str(v.id)) return false;
	if (v.type !== undefined && v.type !== 'function') return false;
	const f = v.function;
	return f === undefined || (isFields(f) && str(f.name) && str(f.arguments));
}

function isDelta(v: unknown): boolean {
	if (v === undefined) return true;
	return (
		isFields(v) &&
		str(v.role) &&
		str(v.content, true) &&
		str(v.reasoning_content, true) &&
		str(v.reasoning, true) &&
		str(v.refusal, true) &&
		listOf(v.tool_calls, isToolCallDelta, true)
	);
}

/** A whole tool call; an absent id or name is kept as '' and shown as missing, not refused. */
function isToolCall(v: unknown): boolean {
	if (!isFields(v) || !str(v.id) || (v.type !== undefined && v.type !== 'function')) return false;
	const f = v.function;
	return isFields(f) && str(f.name) && str(f.arguments);
}

/** The head fields chunks and responses share. */
function isHead(v: Fields): boolean {
	return str(v.id) && str(v.object) && num(v.created) && str(v.model) && isUsage(v.usage);
}

/** Whether a parsed `data:` event is a chunk the accumulator can read. */
export function isChunk(v: unknown): v is ChatChunk {
	if (!isFields(v) || !isHead(v)) return false;
	return listOf(
		v.choices,
		(c) => isFields(c) && index(c.index) && isDelta(c.delta) && str(c.finish_reason, true)
	);
}

/** A parsed `data:` event → a chunk, or undefined when it is not one. */
export const asChunk = (v: unknown): ChatChunk | undefined => (isChunk(v) ? v : undefined);

/** Whether a parsed non-streamed body is a response the accumulator can read. */
export function isResponse(v: unknown): v is ChatResponse {
	if (!isFields(v) || !isHead(v) || !Array.isArray(v.choices)) return false;
	return v.choices.every((c: unknown) => {
		if (!isFields(c) || !index(c.index) || !str(c.finish_reason, true)) return false;
		const m = c.message;
		return (
			m === undefined ||
			(isFields(m) &&
				str(m.role) &&
				str(m.content, true) &&
				str(m.reasoning_content, true) &&
				str(m.reasoning, true) &&
				str(m.refusal, true) &&
				listOf(m.tool_calls, isToolCall, true))
		);
	});
}

/** A parsed non-streamed body → a response, or undefined when it is not one. */
export const asResponse = (v: unknown): ChatResponse | undefined => (isResponse(v) ? v : undefined);

export interface Accumulator {
	push(chunk: ChatChunk, at: number): void;
	setResponse(response: ChatResponse, at: number): void;
	snapshot(): Answer;
}

export function createAccumulator(startedAt: number): Accumulator {
	const choices: AnswerChoice[] = [];
	const answer: Answer = { choices, timing: { startedAt }, status: 'streaming' };
	/*
	 * Streamed tool calls by choice, then by index. A map, not an array slot per index: the first
	 * index may be 1 (Anthropic's endpoint after text) or leave gaps, and the UI gets a dense list.
	 */
	const calls = new Map<number, Map<number, ToolCall>>();

	function addToolCall(target: AnswerChoice, call: ToolCallDelta) {
		let byIndex = calls.get(target.index);
		if (!byIndex) calls.set(target.index, (byIndex = new Map()));
		// Absent index: the next call.
		const i = call.index ?? (byIndex.size === 0 ? 0 : Math.max(...byIndex.keys()) + 1);
		if (!Number.isInteger(i) || i < 0 || i > MAX_TOOL_INDEX)
			throw new ProtocolError(`tool call index ${i}`);
		const existing = byIndex.get(i);
		// Copy-on-write: snapshots handed to the UI stay as they were.
		byIndex.set(i, {
			...existing,
			...providerFields(call),
			id: call.id || existing?.id || '',
			type: 'function',
			function: {
				name: existing?.function.name || call.function?.name || '',
				arguments: (existing?.function.arguments ?? '') + (call.function?.arguments ?? '')
			}
		});
		target.toolCalls = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
	}

	function choice(index: number): AnswerChoice {
		let c = choices.find((x) => x.index === index);
		if (!c) {
			c = { index, content: '', reasoning: '', toolCalls: [] };
			choices.push(c);
			choices.sort((a, b) => a.index - b.index);
		}
		return c;
	}

	function firstToken(at: number) {
		answer.timing.firstTokenAt ??= at;
	}

	return {
		push(chunk, at) {
			if (chunk.model) answer.model = chunk.model;
			if (chunk.usage) answer.usage = knownUsage(chunk.usage);
			for (const c of chunk.choices ?? []) {
				const target = choice(c.index ?? 0);
				const delta = c.delta ?? {};
				if (delta.content) {
					target.content += delta.content;
					firstToken(at);
				}
				const reasoning = delta.reasoning_content ?? delta.reasoning;
				if (reasoning) {
					target.reasoning += reasoning;
					firstToken(at);
				}
				if (delta.refusal) target.refusal = (target.refusal ?? '') + delta.refusal;
				for (const call of delta.tool_calls ?? []) {
					firstToken(at);
					addToolCall(target, call);
				}
				if (c.finish_reason) target.finishReason = c.finish_reason;
			}
		},
		setResponse(response, at) {
			if (response.model) answer.model = response.model;
			if (response.usage) answer.usage = knownUsage(response.usage);
			for (const c of response.choices ?? []) {
				const target = choice(c.index ?? 0);
				target.content = c.message?.content ?? '';
				target.reasoning = c.message?.reasoning_content ?? c.message?.reasoning ?? '';
				target.toolCalls = (c.message?.tool_calls ?? []).map(wholeCall);
				if (c.message?.refusal) target.refusal = c.message.refusal;
				if (c.finish_reason) target.finishReason = c.finish_reason;
			}
			firstToken(at);
		},
		snapshot() {
			// Strings are immutable, so a shallow copy per choice is O(choices), not O(text).
			return {
				...answer,
				timing: { ...answer.timing },
				choices: choices.map((c) => ({ ...c, toolCalls: [...c.toolCalls] }))
			};
		}
	};
}

/**
 * What the Reasoning part of an answer shows: the reasoning of the choices that have some, apart.
 * Empty (so no part is shown) when no choice reasoned: with n > 1 choices, joining every choice's
 * empty reasoning would give a non-empty string of blank lines.
 */
export function reasoningText(choices: ReadonlyArray<Pick<AnswerChoice, 'reasoning'>>): string {
	return choices
		.map((c) => c.reasoning)
		.filter((r) => r.trim() !== '')
		.join('\n\n');
}
