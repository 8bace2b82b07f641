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
	const media = input.input;
	const { fields, errors } = parseMediaParams(media.mode, input.params);
	const url = resolveModeUrl(input.endpoint.baseUrl, media.mode);
	if (!url.ok) errors.baseUrl = url.message;
	const model = input.model.trim();
	if (!model) errors.model = { key: 'request.error.model' };
	const headers = buildHeaders(input.endpoint, input.traceId);
	if (!headers.ok) errors.extraHeaders = headers.message;
	if (media.mode === 'images' && !media.prompt.trim())
		errors.prompt = { key: 'media.error.prompt' };
	if (media.mode === 'speech' && !media.text.trim()) errors.text = { key: 'media.error.text' };
	if (media.mode === 'transcription' && media.file.size === 0)
		errors.file = { key: 'media.error.file' };
	if (!url.ok || !headers.ok || Object.keys(errors).length > 0) return { ok: false, errors };
	const base = { mode: media.mode, url: url.url, headers: headers.headers };
	switch (media.mode) {
		case 'images':
			return { ok: true, request: { ...base, json: { model, prompt: media.prompt, ...fields } } };
		case 'speech':
			return { ok: true, request: { ...base, json: { model, input: media.text, ...fields } } };
		case 'transcription': {
			// fetch writes the multipart Content-Type with its boundary; a JSON one would break it.
			const rest = Object.fromEntries(
				Object.entries(headers.headers).filter(([name]) => name !== 'Content-Type')
			);
			const form: FormPart[] = [
				{ name: 'file', file: media.file, fileName: media.fileName || 'audio' },
				{ name: 'model', value: model },
				...Object.entries(fields).flatMap(([name, value]) => formParts(name, value))
			];
			return { ok: true, request: { ...base, headers: rest, form } };
		}
	}
}

/**
 * A body field as form parts, the way the OpenAI SDKs send them: an array as repeated `name[]`
 * parts, an object as JSON, anything else as its text.
 */
function formParts(name: string, value: unknown): FormPart[] {
	if (value === undefined) return [];
	if (Array.isArray(value)) return value.flatMap((v) => formParts(`${name}[]`, v));
	if (typeof value === 'object' && value !== null) return [{ name, value: JSON.stringify(value) }];
	return [{ name, value: String(value) }];
}

/**
 * The body as text for the raw view: JSON pretty-printed; multipart as its parts, a file
 * summarised by name, type and size (never its bytes).
 */
export function mediaBodyText(req: PreparedMediaRequest): string {
	if (req.json) return JSON.stringify(req.json, null, 2);
	return (req.form ?? [])
		.map((part) =>
			'file' in part
				? `${part.name}: @${part.fileName} (${describeBinary(part.file.type, part.file.size)})`
				: `${part.name}: ${part.value}`
		)
		.join('\n');
}

/** `audio/mpeg, 12.3 KB`: what a binary body is, without its bytes. */
export function describeBinary(type: string, bytes: number): string {
	const kind = type.split(';')[0]?.trim() || 'application/octet-stream';
	return `${kind}, ${formatBytes(bytes)}`;
}

/** `830 B`, `12.3 KB`, `4.0 MB`. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const EXTENSIONS: Record<string, string> = {
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/ogg': 'opus',
	'audio/opus': 'opus',
	'audio/aac': 'aac',
	'audio/flac': 'flac',
	'audio/wav': 'wav',
	'audio/wave': 'wav',
	'audio/x-wav': 'wav',
	'audio/pcm': 'pcm',
	'audio/webm': 'webm',
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif'
};

/** A file extension for a media type (`audio/mpeg` → `mp3`), for download names. */
export function extensionOf(type: string): string {
	const base = type.split(';')[0]?.trim().toLowerCase() ?? '';
	return EXTENSIONS[base] ?? (/^[a-z]+\/([a-z0-9]{1,8})$/.exec(base)?.[1] || 'bin');
}
