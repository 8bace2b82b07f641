/** OpenAI-shaped pieces the gateway streams: chunks, word-by-word deltas, usage, tool calls. */
import type {
	ChatChunk,
	ChatRequest,
	ChunkDelta,
	ToolCall,
	Usage
} from '../../src/lib/wire/types.ts';

/** What the gateway reads from a request body; anything may be missing, so every field is optional. */
export type LooseRequest = Partial<ChatRequest>;

export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((p: unknown) => {
			const part = p as { type?: unknown; text?: unknown };
			return part.type === 'text' && typeof part.text === 'string' ? part.text : '[image]';
		})
		.join(' ');
}

export function lastUserText(body: LooseRequest): string {
	const m = (body.messages ?? []).findLast((x) => x.role === 'user');
	return m ? textOf(m.content) : '';
}

/** Words with their trailing spaces, so the pieces join back to the exact text. */
export function words(text: string): string[] {
	return text.match(/\s*\S+\s*/g) ?? [text];
}

export function chunk(
	model: string,
	choices: ChatChunk['choices'],
	extra: Partial<ChatChunk> = {}
): ChatChunk {
	return {
		id: 'chatcmpl-test',
		object: 'chat.completion.chunk',
		created: 1_700_000_000,
		model,
		choices,
		...extra
	};
}

/** Crude token counts (words), enough to show the app reads usage. */
export function usageFor(body: LooseRequest, completion: string): Usage {
	const prompt = (body.messages ?? []).map((m) => textOf(m.content)).join(' ');
	const p = words(prompt).length;
	const c = words(completion).length;
	return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}

export function choiceCount(body: LooseRequest): number {
	return Math.max(1, Math.min(Math.trunc(body.n ?? 1), 8));
}

/** With `n` > 1 each choice is prefixed, so a test can tell them apart. */
export function choiceTexts(body: LooseRequest, text: string): string[] {
	const n = choiceCount(body);
	return Array.from({ length: n }, (_, i) => (n > 1 ? `Choice ${i}: ${text}` : text));
}

type TextField = 'content' | 'reasoning_content' | 'reasoning';

export interface StreamText {
	text: string;
	/** Streamed before the answer in this delta field (reasoning models). */
	thinking?: { field: TextField; text: string };
	/** false: no finish_reason chunk (the `no-done` dialect). */
	finish?: boolean;
	/** Forces the usage chunk even when the request did not ask for it. */
	usage?: boolean;
}

/**
 * A complete streamed answer: a role chunk per choice, then the choices' words interleaved as real
 * servers send them, a finish chunk per choice, and the usage chunk when asked for.
 */
export function textEvents(model: string, body: LooseRequest, s: StreamText): ChatChunk[] {
	const texts = choiceTexts(body, s.text);
	const delta = (i: number, d: ChunkDelta) =>
		chunk(model, [{ index: i, delta: d, finish_reason: null }]);
	const interleave = (field: TextField, perChoice: string[][]) => {
		const longest = Math.max(...perChoice.map((w) => w.length));
		const out: ChatChunk[] = [];
		for (let k = 0; k < longest; k++)
			perChoice.forEach((w, i) => {
				const piece = w[k];
				if (piece !== undefined) out.push(delta(i, { [field]: piece }));
			});
		return out;
	};
	const thinking = s.thinking;
	const events = [
		...texts.map((_, i) => delta(i, { role: 'assistant', content: '' })),
		...(thinking
			? interleave(
					thinking.field,
					texts.map(() => words(thinking.text))
				)
			: []),
		...interleave('content', texts.map(words)),
		...(s.finish === false
			? []
			: texts.map((_, i) => chunk(model, [{ index: i, delta: {}, finish_reason: 'stop' }])))
	];
	if (s.usage || body.stream_options?.include_usage)
		events.push(chunk(model, [], { usage: usageFor(body, texts.join(' ')) }));
	return events;
}

/**
 * The calls the `tools` model makes: the first declared tool (and, unless parallel calls are off,
 * a second call: the second tool, or the first one again), with fixed arguments.
 */
export function toolCallsFor(body: LooseRequest): ToolCall[] {
	const names = (body.tools ?? []).map((t) => t.function.name);
	const first = names[0];
	if (first === undefined) return [];
	const picked = body.parallel_tool_calls === false ? [first] : [first, names[1] ?? first];
	const cities = ['Paris', 'Tokyo'];
	return picked.map((name, i) => ({
		id: `call_${i}`,
		type: 'function',
		function: { name, arguments: JSON.stringify({ city: cities[i], unit: 'celsius' }) }
	}));
}

/**
 * Each call opens with its id and name, then its arguments arrive in 7-character fragments.
 * `firstIndex`: the index of the first call (Anthropic's endpoint numbers them from 1 after text).
 */
export function toolCallEvents(model: string, calls: ToolCall[], firstIndex = 0): ChatChunk[] {
	const delta = (d: ChunkDelta) => chunk(model, [{ index: 0, delta: d, finish_reason: null }]);
	return [
		delta({ role: 'assistant', content: null }),
		...calls.flatMap((call, k) => {
			const i = firstIndex + k;
			return [
				delta({
					tool_calls: [
						{
							index: i,
							id: call.id,
							type: 'function',
							function: { name: call.function.name, arguments: '' }
						}
					]
				}),
				...(call.function.arguments.match(/.{1,7}/g) ?? []).map((piece) =>
					delta({ tool_calls: [{ index: i, function: { arguments: piece } }] })
				)
			];
		}),
		chunk(model, [{ index: 0, delta: {}, finish_reason: 'tool_calls' }])
	];
}
