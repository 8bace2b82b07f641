/** What is stored in IndexedDB, one interface per table. */
import type {
	Answer,
	MediaMode,
	Mode,
	ParamValues,
	Role,
	ToolCall,
	Transcript
} from '../wire/types.ts';
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
	/** What the column asks for; absent: chat (rows before modes). */
	mode?: Mode;
	/**
	 * The model and parameters of the modes not shown: a column switched to Images and back
	 * finds its chat model and parameters (`model` and `params` are the shown mode's).
	 */
	modes?: Partial<Record<Mode, ModeSettings>>;
}

/** A column's model and parameters in one mode. */
export interface ModeSettings {
	model: string;
	params: ParamValues;
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
	/**
	 * A turn of images, speech or transcription: the prompt (user) and its result (assistant,
	 * whose `answer` holds status, timing, usage and error, with no choices). Never sent as chat.
	 */
	mode?: MediaMode;
	/** What a media turn holds beside its text: the audio file sent, or what came back. */
	media?: StoredMedia;
	createdAt: number;
	updatedAt: number;
}

/** A stored file: its bytes live in the `blobs` table. */
export interface StoredFile {
	blobId: string;
	mime: string;
	size: number;
	/** The name it was chosen or downloaded as. */
	name?: string;
}

/** One generated image: stored bytes, or a URL the page never fetches (opened on a click). */
export interface StoredImage {
	file?: StoredFile;
	url?: string;
	revisedPrompt?: string;
}

export interface StoredMedia {
	/** Transcription: the audio file sent. */
	input?: StoredFile;
	images?: StoredImage[];
	audio?: StoredFile;
	transcript?: Transcript;
}

/** The blobs a message points at: attached images, media sent and received. */
export function blobIdsOf(m: MessageRow): string[] {
	const files = [m.media?.input, m.media?.audio, ...(m.media?.images ?? []).map((i) => i.file)];
	return [
		...(m.parts ?? []).flatMap((p) => (p.type === 'image' ? [p.blobId] : [])),
		...files.flatMap((f) => (f ? [f.blobId] : []))
	];
}

/** The message with every blob id it points at replaced through `rename` (a fork's own copies). */
export function renameBlobs(m: MessageRow, rename: (blobId: string) => string): MessageRow {
	const file = <F extends StoredFile | undefined>(f: F): F =>
		f && { ...f, blobId: rename(f.blobId) };
	const media = m.media && {
		...m.media,
		...(m.media.input ? { input: file(m.media.input) } : {}),
		...(m.media.audio ? { audio: file(m.media.audio) } : {}),
		...(m.media.images
			? { images: m.media.images.map((i) => (i.file ? { ...i, file: file(i.file) } : i)) }
			: {})
	};
	return {
		...m,
		...(m.parts
			? {
					parts: m.parts.map((p) => (p.type === 'image' ? { ...p, blobId: rename(p.blobId) } : p))
				}
			: {}),
		...(media ? { media } : {})
	};
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
