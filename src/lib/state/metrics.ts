import type { Answer } from '../wire/types.ts';
import type { Prices } from '../db/rows.ts';

/** What the metrics bar and the comparison view show of one answer. */
export interface AnswerMetrics {
	ttftMs?: number;
	totalMs?: number;
	promptTokens?: number;
	completionTokens?: number;
	reasoningTokens?: number;
	/** Completion tokens per second of generation (after the first token). */
	tokensPerSecond?: number;
	/** True when tokens were estimated from text length because the gateway reported no usage. */
	estimated: boolean;
	/** In the prices' currency, when the column has prices and usage is known. */
	cost?: number;
}

/** ~4 characters a token: only used when the gateway reports no usage, and marked as such. */
const CHARS_PER_TOKEN = 4;

export function answerMetrics(answer: Answer, prices?: Prices): AnswerMetrics {
	const { startedAt, firstTokenAt, endedAt } = answer.timing;
	const usage = answer.usage;
	const text = answer.choices.reduce((n, c) => n + c.content.length + c.reasoning.length, 0);
	const estimated = usage?.completion_tokens === undefined && text > 0;
	const completionTokens =
		usage?.completion_tokens ?? (estimated ? Math.ceil(text / CHARS_PER_TOKEN) : undefined);
	const genMs =
		endedAt !== undefined && firstTokenAt !== undefined ? endedAt - firstTokenAt : undefined;
	const promptTokens = usage?.prompt_tokens;
	const cost =
		prices && usage && (prices.input !== undefined || prices.output !== undefined)
			? ((usage.prompt_tokens ?? 0) * (prices.input ?? 0) +
					(usage.completion_tokens ?? 0) * (prices.output ?? 0)) /
				1e6
			: undefined;
	return {
		ttftMs: firstTokenAt !== undefined ? firstTokenAt - startedAt : undefined,
		totalMs: endedAt !== undefined ? endedAt - startedAt : undefined,
		promptTokens,
		completionTokens,
		reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens,
		tokensPerSecond:
			completionTokens !== undefined && genMs !== undefined && genMs > 0
				? (completionTokens * 1000) / genMs
				: undefined,
		estimated,
		cost
	};
}
