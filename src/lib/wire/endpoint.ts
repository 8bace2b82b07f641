/** Base URL → request URLs, and the headers a request carries. */
import type { EndpointConfig } from '../app-types.ts';
import type { Message } from '../util/message.ts';

export const DEFAULT_ENDPOINT: EndpointConfig = {
	baseUrl: '',
	apiKey: '',
	authMode: 'bearer',
	authHeader: 'api-key',
	extraHeaders: '',
	traceId: false,
	tokenLimitField: 'max_tokens',
	timeoutMs: 300_000
};

const CHAT_PATH = '/chat/completions';

/**
 * What users paste from gateway docs: `https://host` → `/v1/chat/completions` added,
 * `https://host/v1` (or any other path) → `/chat/completions` added, a full chat URL as it is.
 */
export function resolveChatUrl(
	base: string
): { ok: true; url: string } | { ok: false; message: Message } {
	const trimmed = base.trim();
	if (!trimmed) return { ok: false, message: { key: 'endpoint.error.empty' } };
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return {
			ok: false,
			message: { key: 'endpoint.error.invalid', vars: { suggestion: `https://${trimmed}` } }
		};
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return { ok: false, message: { key: 'endpoint.error.scheme', vars: { scheme: url.protocol } } };
	const path = url.pathname.replace(/\/+$/, '');
	if (path.endsWith(CHAT_PATH)) url.pathname = path;
	else if (path === '') url.pathname = `/v1${CHAT_PATH}`;
	else url.pathname = `${path}${CHAT_PATH}`;
	return { ok: true, url: url.toString() };
}

/** `GET {base}/models`, next to the chat URL. */
export function resolveModelsUrl(base: string): string | undefined {
	const chat = resolveChatUrl(base);
	if (!chat.ok) return undefined;
	const url = new URL(chat.url);
	url.pathname = `${url.pathname.slice(0, -CHAT_PATH.length)}/models`;
	return url.toString();
}

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` per line; blank lines are skipped. */
export function parseHeaderLines(
	text: string
): { ok: true; headers: Record<string, string> } | { ok: false; message: Message } {
	const headers: Record<string, string> = {};
	const lines = text.split(/\r?\n/);
	for (const [i, line] of lines.entries()) {
		if (!line.trim()) continue;
		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim() : '';
		if (!HEADER_NAME.test(name))
			return { ok: false, message: { key: 'endpoint.error.headerLine', vars: { line: i + 1 } } };
		headers[name] = line.slice(colon + 1).trim();
	}
	return { ok: true, headers };
}

/** Content type, auth as the endpoint wants it, extra headers, and a trace id if asked. */
export function buildHeaders(
	endpoint: EndpointConfig,
	traceId?: string
): { ok: true; headers: Record<string, string> } | { ok: false; message: Message } {
	const extra = parseHeaderLines(endpoint.extraHeaders);
	if (!extra.ok) return extra;
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	const key = endpoint.apiKey.trim();
	if (key) {
		if (endpoint.authMode === 'bearer') headers.Authorization = `Bearer ${key}`;
		else if (endpoint.authMode === 'raw') headers.Authorization = key;
		else {
			const name = endpoint.authHeader.trim();
			if (!HEADER_NAME.test(name))
				return { ok: false, message: { key: 'endpoint.error.authHeader' } };
			headers[name] = key;
		}
	}
	Object.assign(headers, extra.headers);
	if (traceId) headers['X-Trace-ID'] = traceId;
	return { ok: true, headers };
}

/** `sk-a…wxyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
	if (key.length <= 8) return '•'.repeat(Math.max(3, key.length));
	return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** Headers with every occurrence of the key masked, for display. */
export function maskHeaders(
	headers: Record<string, string>,
	apiKey: string
): Record<string, string> {
	const key = apiKey.trim();
	if (!key) return { ...headers };
	return Object.fromEntries(
		Object.entries(headers).map(([k, v]) => [k, v.split(key).join(maskKey(key))])
	);
}
