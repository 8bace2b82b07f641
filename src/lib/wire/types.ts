/**
 * The OpenAI-compatible chat-completions wire, declared once.
 * Request, chunk, response and error shapes follow OpenAI's published schemas
 * (tests/fixtures/corpora/openai-chat-schemas.json); gateway extensions are marked.
 */
import type { AnswerStatus } from '../app-types.ts';
import type { Message } from '../util/message.ts';

/** A text part of a user message. */
export interface TextPart {
	type: 'text';
	text: string;
}

/** An image part of a user message: an https URL or a data: URL. */
export interface ImagePart {
	type: 'image_url';
	image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export type ContentPart = TextPart | ImagePart;

/**
 * A function call the model asked for. `id` or `name` may be '' when the server sent none.
 * Fields a provider adds (Gemini's `extra_content` thought signature) are kept and sent back.
 */
export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
	[provider: string]: unknown;
}

/** A tool call as a non-streamed response carries it, before the answer fills what is missing. */
export interface ResponseToolCall {
	id?: string;
	type?: 'function';
	function: { name?: string; arguments?: string };
	[provider: string]: unknown;
}

export interface SystemMessage {
	role: 'system';
	content: string;
}
export interface UserMessage {
	role: 'user';
	content: string | ContentPart[];
}
export interface AssistantMessage {
	role: 'assistant';
	/** null when the turn only called tools. */
	content: string | null;
	tool_calls?: ToolCall[];
}
export interface ToolMessage {
	role: 'tool';
	tool_call_id: string;
	content: string;
}
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** Every message role, for code that checks one at run time (a backup, a stored row). */
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type Role = (typeof ROLES)[number];

/** Compiles only when `A` and `B` are the same union: a list and the type it checks cannot drift. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** ROLES names the role of every ChatMessage, and nothing else. */
export type RolesAreComplete = Assert<Same<Role, ChatMessage['role']>>;

/** A tool the model may call (`tools[]`). */
export interface ToolDefinition {
	type: 'function';
	function: {
		name: string;
		description?: string;
		parameters?: Record<string, unknown>;
		strict?: boolean;
	};
}

export type ToolChoice =
	'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
	| { type: 'text' }
	| { type: 'json_object' }
	| {
			type: 'json_schema';
			json_schema: {
				name: string;
				description?: string;
				schema?: Record<string, unknown>;
				strict?: boolean;
			};
	  };

/** The body of `POST /chat/completions`. Every optional field is omitted when unset. */
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	max_completion_tokens?: number;
	n?: number;
	stop?: string | string[];
	presence_penalty?: number;
	frequency_penalty?: number;
	seed?: number;
	logit_bias?: Record<string, number>;
	user?: string;
	tools?: ToolDefinition[];
	tool_choice?: ToolChoice;
	parallel_tool_calls?: boolean;
	response_format?: ResponseFormat;
	reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
	/** Extra body fields (gateway-specific, e.g. top_k) are merged in last. */
	[extra: string]: unknown;
}

export interface Usage {
	prompt_tokens?: number;
	completion_tokens?: number;
	total_tokens?: number;
	completion_tokens_details?: { reasoning_tokens?: number };
	prompt_tokens_details?: { cached_tokens?: number };
}

/** A tool-call fragment inside a streamed delta; joined by `index` (absent: the next one). */
export interface ToolCallDelta {
	index?: number;
	id?: string;
	type?: 'function';
	function?: { name?: string; arguments?: string };
	[provider: string]: unknown;
}

export interface ChunkDelta {
	/** `assistant` when present; not read. */
	role?: string;
	content?: string | null;
	/** DeepSeek, vLLM and others. */
	reasoning_content?: string | null;
	/** OpenRouter and others. */
	reasoning?: string | null;
	tool_calls?: ToolCallDelta[];
	refusal?: string | null;
}

/** One `data:` event of a streamed response. */
export interface ChatChunk {
	id?: string;
	object?: string;
	created?: number;
	model?: string;
	/** Absent on some gateways' usage-only and error chunks. */
	choices?: Array<{
		/** Absent: choice 0. */
		index?: number;
		delta?: ChunkDelta;
		finish_reason?: string | null;
	}>;
	/** Present on the final chunk when `stream_options.include_usage` is set (then `choices` is empty). */
	usage?: Usage | null;
	/**
	 * Some gateways put an error inside the stream: an object like `ErrorBody['error']`, or a
	 * string. Read it with `errorMessageOf`.
	 */
	error?: unknown;
}

/** A non-streamed response. */
export interface ChatResponse {
	id?: string;
	object?: string;
	created?: number;
	model?: string;
	choices: Array<{
		/** Absent: choice 0. */
		index?: number;
		message?: {
			role?: string;
			content?: string | null;
			reasoning_content?: string | null;
			reasoning?: string | null;
			tool_calls?: ResponseToolCall[] | null;
			refusal?: string | null;
		};
		finish_reason?: string | null;
	}>;
	usage?: Usage | null;
}

/** OpenAI's error body; gateways vary in which fields they fill. */
export interface ErrorBody {
	error: {
		message?: string;
		type?: string;
		code?: string | number | null;
		param?: string | null;
	};
}

/** `GET /models`. */
export interface ModelList {
	object?: 'list';
	data: Array<{ id: string; object?: string; owned_by?: string; created?: number }>;
}

/**
 * How the key is sent: `bearer` is `Authorization: Bearer <key>` (the default); `raw` is
 * `Authorization: <key>` (some gateways want the bare key); `header` is `<authHeader>: <key>`,
 * e.g. `api-key` or `x-api-key`.
 */
export const AUTH_MODES = ['bearer', 'raw', 'header'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Which field the `Max tokens` control is sent as: newer models reject `max_tokens`. */
export const TOKEN_LIMIT_FIELDS = ['max_tokens', 'max_completion_tokens'] as const;
export type TokenLimitField = (typeof TOKEN_LIMIT_FIELDS)[number];

/** A request ready for fetch: what goes over the wire, exactly. */
export interface PreparedRequest {
	url: string;
	headers: Record<string, string>;
	body: ChatRequest;
}

/** Why a request failed, normalised for the UI. */
export type WireErrorKind =
	| 'http'
	| 'stream'
	| 'network'
	| 'cors'
	| 'timeout'
	| 'abort'
	| 'parse'
	| 'invalid'
	/** The server broke the protocol (e.g. an absurd tool-call index). */
	| 'protocol'
	/** The answer passed the size cap. */
	| 'size'
	/** The server redirected a request that carries the key. */
	| 'redirect';

export interface WireError {
	kind: WireErrorKind;
	/** HTTP status, when there was a response. */
	status?: number;
	/** One line for the user, e.g. key `error.http` → "HTTP 429 Too Many Requests". */
	message: Message;
	/** What the user can do about it. */
	hint?: Message;
	/** The server's own words (error body, as text, never rendered as HTML). */
	detail?: string;
	/** Seconds to wait, from `Retry-After`. */
	retryAfter?: number;
}

/** Timing marks of one request, in ms from `performance.now()`-like clocks. */
export interface Timing {
	startedAt: number;
	firstTokenAt?: number;
	endedAt?: number;
}

/** One choice of an answer as accumulated so far. */
export interface AnswerChoice {
	index: number;
	content: string;
	reasoning: string;
	toolCalls: ToolCall[];
	finishReason?: string;
	refusal?: string;
}

/** Everything the UI shows of one assistant answer. */
export interface Answer {
	choices: AnswerChoice[];
	usage?: Usage;
	model?: string;
	timing: Timing;
	status: AnswerStatus;
	error?: WireError;
	/** The stream ended without a finish_reason: done, but the text may be cut off. */
	cutOff?: boolean;
}

/** One SSE event or response body as it arrived, for the raw view. */
export interface RawEvent {
	/** ms since the request started. */
	at: number;
	data: string;
	/** What the app made of it, when not the obvious, e.g. `raw.skipped` for a malformed event. */
	note?: Message;
}

/** The exact response as received, for the raw view. */
export interface RawResponse {
	status?: number;
	headers: Record<string, string>;
	/** Streamed: every event. Not streamed: one event with the whole body. */
	events: RawEvent[];
	/** A long stream keeps its first and last events: `count` were left out before `events[at]`. */
	omitted?: { at: number; count: number };
}

/**
 * Parameter values as the user typed them, keyed by `ParamSpec.key`.
 * Kept raw so nothing typed is lost; '' or undefined means unset (not sent).
 */
export type ParamValues = Record<string, string | boolean | undefined>;

// ─── Media: images, speech, transcription (the OpenAI shapes of the same gateway) ───

/** What a column does: chat, or one of the media endpoints under the same base URL and key. */
export const MODES = ['chat', 'images', 'speech', 'transcription'] as const;
export type Mode = (typeof MODES)[number];
export type MediaMode = Exclude<Mode, 'chat'>;

/** What the user gives a media request besides model and parameters. */
export type MediaInput =
	| { mode: 'images'; prompt: string }
	| { mode: 'speech'; text: string }
	| { mode: 'transcription'; file: Blob; fileName: string };

/** One part of a multipart body: a field, or a file. */
export type FormPart =
	{ name: string; value: string } | { name: string; file: Blob; fileName: string };

/** A request ready for fetch; `json` for images and speech, `form` (multipart) for transcription. */
export interface PreparedMediaRequest {
	mode: MediaMode;
	url: string;
	/** No Content-Type for `form`: fetch (or cURL) writes the multipart boundary. */
	headers: Record<string, string>;
	json?: Record<string, unknown>;
	form?: FormPart[];
}

/** One generated image: the bytes (from b64_json), or a URL the page never fetches. */
export interface GeneratedImage {
	blob?: Blob;
	url?: string;
	revisedPrompt?: string;
}

export interface TranscriptSegment {
	/** Seconds from the start of the audio. */
	start: number;
	end: number;
	text: string;
}

export interface Transcript {
	text: string;
	/** The response format it came in: json, text, srt, vtt, verbose_json. */
	format: string;
	segments?: TranscriptSegment[];
	language?: string;
	/** Seconds of audio. */
	duration?: number;
}

/** Token usage as the images and transcription endpoints report it. */
export interface MediaUsage {
	input_tokens?: number;
	output_tokens?: number;
	total_tokens?: number;
}

/** Everything the UI shows of one media answer. */
export interface MediaResult {
	mode: MediaMode;
	status: AnswerStatus;
	/** `firstTokenAt`: the first byte of the body (a transcript delta when streaming). */
	timing: Timing;
	model?: string;
	images?: GeneratedImage[];
	audio?: { blob: Blob; type: string };
	transcript?: Transcript;
	usage?: MediaUsage;
	error?: WireError;
}
