/** Chunks → the answer so far: choices by index, tool calls joined by index, usage, timing. */
import type { Answer, AnswerChoice, ChatChunk, ChatResponse, ToolCall } from './types.ts';

export interface Accumulator {
	push(chunk: ChatChunk, at: number): void;
	setResponse(response: ChatResponse, at: number): void;
	snapshot(): Answer;
}

export function createAccumulator(startedAt: number): Accumulator {
	const choices: AnswerChoice[] = [];
	const answer: Answer = { choices, timing: { startedAt }, status: 'streaming' };

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
			if (chunk.usage) answer.usage = chunk.usage;
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
					const i = call.index ?? target.toolCalls.length;
					const existing: ToolCall = target.toolCalls[i] ?? {
						id: '',
						type: 'function',
						function: { name: '', arguments: '' }
					};
					// Copy-on-write: snapshots handed to the UI stay as they were.
					target.toolCalls[i] = {
						id: call.id || existing.id,
						type: 'function',
						function: {
							name: existing.function.name || call.function?.name || '',
							arguments: existing.function.arguments + (call.function?.arguments ?? '')
						}
					};
				}
				if (c.finish_reason) target.finishReason = c.finish_reason;
			}
		},
		setResponse(response, at) {
			if (response.model) answer.model = response.model;
			if (response.usage) answer.usage = response.usage;
			for (const c of response.choices ?? []) {
				const target = choice(c.index ?? 0);
				target.content = c.message?.content ?? '';
				target.reasoning = c.message?.reasoning_content ?? c.message?.reasoning ?? '';
				target.toolCalls = c.message?.tool_calls ?? [];
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
