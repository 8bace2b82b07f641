/**
 * App shapes that the wire, storage and state layers share but that are not wire shapes: how a
 * column is connected, and how far an answer got. Types and `as const` lists only, so any layer
 * may import them.
 */
import type { AuthMode, TokenLimitField } from './wire/types.ts';

/** Where a column sends its requests. */
export interface EndpointConfig {
	/** What the user pasted: `https://host`, `https://host/v1` or the full chat URL. */
	baseUrl: string;
	apiKey: string;
	authMode: AuthMode;
	/** Header name when `authMode` is `header`. */
	authHeader: string;
	/** `Name: value` per line. */
	extraHeaders: string;
	/** Put a fresh `X-Trace-ID` on every request. */
	traceId: boolean;
	/** Which token limit the `Max tokens` control sends: newer models reject `max_tokens`. */
	tokenLimitField: TokenLimitField;
	/**
	 * Idle timeout in milliseconds (0 = none): the longest wait for the next byte, so a long
	 * answer that keeps streaming is never cut off. It is also the limit to the first byte (the
	 * response headers), see `RunOptions.firstByteTimeoutMs`.
	 */
	timeoutMs: number;
}

/** `interrupted`: still streaming when the page went away (a reload, a crash). */
export const ANSWER_STATUSES = ['streaming', 'done', 'stopped', 'failed', 'interrupted'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];
