/** What is stored in IndexedDB, one interface per table. */
import type { Answer, ParamValues, Role, ToolCall } from '../wire/types.ts';
import type { EndpointConfig } from '../app-types.ts';

/** User-entered prices, per million tokens, for cost estimates. */
export interface Prices {
	input?: number;
	output?: number;
}

export interface PresetRow {
	id: string;
	name: string;
	endpoint: EndpointConfig;
	model: string;
	params: ParamValues;
	prices?: Prices;
	createdAt: number;
	updatedAt: number;
}

/** One column of a conversation: where it sends and with what settings. */
export interface ColumnRow {
	/** Stable id: messages point at it, so removing a column never renumbers threads. */
	id: string;
	presetId?: string;
	/** Set by a parameter sweep, e.g. `temperature 0.5`. */
	label?: string;
	endpoint: EndpointConfig;
	model: string;
	params: ParamValues;
	system: string;
	prices?: Prices;
}

export interface ConversationRow {
	id: string;
	title: string;
	columns: ColumnRow[];
	createdAt: number;
	updatedAt: number;
}

/** A stored part of a user message: images live in the `blobs` table, not inline as base64. */
export type StoredPart =
	| { type: 'text'; text: string }
	| { type: 'image'; blobId: string; mime: string }
	| { type: 'image_url'; url: string };

export interface MessageRow {
	id: string;
	conversationId: string;
	columnId: string;
	/** Order inside the column's thread. */
	seq: number;
	role: Role;
	/** Text of user, system and tool messages; empty for an assistant's, which lives in `answer`. */
	content: string;
	/** User messages with images. */
	parts?: StoredPart[];
	/** Tool messages: the call they answer. */
	toolCallId?: string;
	/** Assistant messages: the answer with its choices, tool calls, usage, timing and status. */
	answer?: Answer;
	createdAt: number;
	updatedAt: number;
}

export interface BlobRow {
	id: string;
	blob: Blob;
	mime: string;
	createdAt: number;
}

export interface SettingRow {
	key: string;
	value: unknown;
}

/** A message's text as a reader sees it: an assistant's is its answer's first choice. */
export function textOf(row: MessageRow): string {
	return row.role === 'assistant' ? (row.answer?.choices[0]?.content ?? '') : row.content;
}

/** How rows of schema version 4 and backup version 1 stored an assistant message. */
export type LegacyMessageRow = MessageRow & { toolCalls?: ToolCall[] };

/**
 * Stores an assistant message's text and tool calls once, in its answer. Older rows kept
 * them twice (`content` and `toolCalls` beside `answer.choices[0]`); a row with no answer at
 * all becomes a finished one-choice answer, so every assistant message has one.
 */
export function assistantOnce(row: LegacyMessageRow): MessageRow {
	if (row.role !== 'assistant') return row;
	const { toolCalls, ...rest } = row;
	const answer: Answer = row.answer ?? {
		choices: [{ index: 0, content: row.content, reasoning: '', toolCalls: toolCalls ?? [] }],
		timing: { startedAt: 0 },
		status: 'done'
	};
	return { ...rest, content: '', answer };
}
