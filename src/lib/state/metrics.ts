import type { Answer } from '../wire/types.ts';
import type { Prices } from '../db/rows.ts';

/** What the metrics bar and the comparison view show of one answer. */
export interface AnswerMetrics {
	ttftMs?: number;
	totalMs?: number;
	promptTokens?: number;
	completionTokens?: number;
	reasoningTokens?: number;
	/**
	 * Generation speed: the completion tokens after the first, over the time from the first token
	 * to the end (the usual output throughput, TTFT left out). Unset when not meaningful: fewer
	 * than {@link MIN_RATE_TOKENS} tokens or less than {@link MIN_GENERATION_MS} of generation (a
	 * burst answer, a non-streamed one), so it is also left out of "fastest".
	 */
	tokensPerSecond?: number;
	/** True when tokens were estimated from text length because the gateway reported no usage. */
	estimated: boolean;
	/** In the prices' currency, when the column has prices and usage is known. */
	cost?: number;
}

/** ~4 characters a token: only used when the gateway reports no usage, and marked as such. */
const CHARS_PER_TOKEN = 4;

/**
 * Below this much generation time a rate is noise: an answer that arrives in one burst (a cache,
 * a buffering proxy, a non-streamed body) would read as 100,000+ tok/s.
 */
export const MIN_GENERATION_MS = 50;
/** At least one token after the first: the first token's time belongs to TTFT. */
export const MIN_RATE_TOKENS = 2;

/**
 * Tokens per second over [first token, end], or undefined when not meaningful. Reasoning tokens
 * the gateway counted but never streamed (hidden reasoning) were generated before the first
 * visible token, so they are not counted in the generation window.
 */
function generationRate(
	completionTokens: number | undefined,
	hiddenReasoningTokens: number,
	genMs: number | undefined
): number | undefined {
	if (completionTokens === undefined || genMs === undefined) return undefined;
	const tokens = completionTokens - hiddenReasoningTokens;
	if (tokens < MIN_RATE_TOKENS || genMs < MIN_GENERATION_MS) return undefined;
	return ((tokens - 1) * 1000) / genMs;
}

export function answerMetrics(answer: Answer, prices?: Prices): AnswerMetrics {
	const { startedAt, firstTokenAt, endedAt } = answer.timing;
	const usage = answer.usage;
	const text = answer.choices.reduce((n, c) => n + c.content.length + c.reasoning.length, 0);
	const streamedReasoning = answer.choices.some((c) => c.reasoning !== '');
	const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens;
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
		reasoningTokens,
		tokensPerSecond: generationRate(
			completionTokens,
			streamedReasoning ? 0 : (reasoningTokens ?? 0),
			genMs
		),
		estimated,
		cost
	};
}
