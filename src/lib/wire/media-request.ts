/** Endpoint + model + input + parameters → the exact media request, or why it cannot be sent. */
import { buildHeaders, resolveModeUrl } from './endpoint.ts';
import { parseMediaParams } from './media-params.ts';
import type { FormPart, MediaInput, ParamValues, PreparedMediaRequest } from './types.ts';
import type { EndpointConfig } from '../app-types.ts';
import type { Message } from '../util/message.ts';

export function buildMediaRequest(input: {
	endpoint: EndpointConfig;
	model: string;
	input: MediaInput;
	params: ParamValues;
	traceId?: string;
}): { ok: true; request: PreparedMediaRequest } | { ok: false; errors: Record<string, Message> } {
	throw new Error('todo');
}

/**
 * The body as text for the raw view: JSON pretty-printed; multipart as its parts, a file
 * summarised by name, type and size (never its bytes).
 */
export function mediaBodyText(req: PreparedMediaRequest): string {
	throw new Error('todo');
}

/** `audio/mpeg, 12.3 KB`: what a binary body is, without its bytes. */
export function describeBinary(type: string, bytes: number): string {
	throw new Error('todo');
}
