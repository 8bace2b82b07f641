/** Base URL → request URLs, and the headers a request carries. */
import type { EndpointConfig } from '../app-types.ts';
import type { Message } from '../util/message.ts';
import type { Mode, PreparedRequest } from './types.ts';

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

/** The path of each mode's endpoint under the API base (`…/v1`). */
export const MODE_PATHS: Record<Mode, string> = {
	chat: CHAT_PATH,
	images: '/images/generations',
	speech: '/audio/speech',
	transcription: '/audio/transcriptions'
};

/**
 * What users paste from gateway docs: `https://host` → `/v1/chat/completions` added,
 * `https://host/v1` (or any other path) → `/chat/completions` added, a full chat URL as it is.
 */
export function resolveChatUrl(
	base: string
): { ok: true; url: string } | { ok: false; message: Message } {
	return resolveModeUrl(base, 'chat');
}

/**
 * The URL of `mode`'s endpoint under the base the user pasted: `https://host` gets `/v1` and the
 * mode's path, any other path gets the mode's path, and a pasted endpoint URL of any mode
 * (`…/v1/chat/completions`, `…/v1/audio/speech`) is read as its base, so one base URL serves
 * every mode of a column.
 */
export function resolveModeUrl(
	base: string,
	mode: Mode
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
	// fetch refuses such URLs ("could not reach"), and the code export would show them.
	if (url.username || url.password)
		return { ok: false, message: { key: 'endpoint.error.credentials' } };
	let path = url.pathname.replace(/\/+$/, '');
	const pasted = Object.values(MODE_PATHS).find((p) => path.endsWith(p));
	if (pasted) path = path.slice(0, -pasted.length);
	else if (path === '') path = '/v1';
	url.pathname = `${path}${MODE_PATHS[mode]}`;
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

/**
 * A request as it went out, with the key it went out with: the raw view and the code export
 * mask that key, not the one in the field now (it may have changed since).
 */
export interface SentRequest extends PreparedRequest {
	apiKey: string;
}

/** A header whose value is a credential: masked, exported as an env var, left out of backups. */
export function isSecretHeader(name: string): boolean {
	const n = name.trim().toLowerCase();
	return (
		n === 'authorization' ||
		n === 'proxy-authorization' ||
		n === 'cookie' ||
		n.endsWith('key') ||
		/token|secret|password/.test(n)
	);
}

/** An auth scheme word before a credential (`Bearer sk-…`): shown, the credential is not. */
const SCHEME = /^(?:bearer|basic|token|digest)\s+/i;

/** `Bearer sk-…` → [`Bearer `, `sk-…`]. */
export function splitScheme(value: string): [scheme: string, credential: string] {
	const scheme = SCHEME.exec(value)?.[0] ?? '';
	return [scheme, value.slice(scheme.length)];
}

/** `sk-a…wxyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
	if (key.length <= 8) return '•'.repeat(Math.max(3, key.length));
	return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/**
 * Headers for display: secret headers' credentials masked, and every occurrence of `apiKey` (the
 * key the request was sent with, whatever header carries it) masked elsewhere.
 */
export function maskHeaders(
	headers: Record<string, string>,
	apiKey: string
): Record<string, string> {
	const key = apiKey.trim();
	return Object.fromEntries(
		Object.entries(headers).map(([name, value]) => {
			if (isSecretHeader(name) && value) {
				const [scheme, credential] = splitScheme(value);
				return [name, `${scheme}${maskKey(credential)}`];
			}
			return [name, key ? value.split(key).join(maskKey(key)) : value];
		})
	);
}

/** Extra header lines with the values of secret headers dropped (a backup without keys). */
export function stripSecretHeaders(text: string): string {
	return text
		.split(/\r?\n/)
		.map((line) => {
			const colon = line.indexOf(':');
			const name = line.slice(0, Math.max(0, colon)).trim();
			return colon > 0 && isSecretHeader(name) ? `${name}:` : line;
		})
		.join('\n');
}

/** The longest idle timeout accepted: a day. Longer ones overflow browser timers. */
export const MAX_TIMEOUT_S = 86_400;

/** Characters that look like nothing, or like ASCII, named so the user can find them. */
const CHAR_NAMES: Record<number, string> = {
	0x00: 'a NUL character',
	0x09: 'a tab',
	0x7f: 'a DEL character',
	0xa0: 'a no-break space',
	0xad: 'a soft hyphen',
	0x200b: 'a zero-width space',
	0x200c: 'a zero-width non-joiner',
	0x200d: 'a zero-width joiner',
	0x2060: 'a word joiner',
	0xfeff: 'a byte order mark',
	0x2018: 'a left single quotation mark',
	0x2019: 'a right single quotation mark',
	0x201c: 'a left double quotation mark',
	0x201d: 'a right double quotation mark',
	0x2013: 'an en dash',
	0x2014: 'an em dash',
	0x3000: 'an ideographic space'
};

/**
 * The first character a header value may not carry (HTTP allows visible ASCII and spaces; the
 * browser refuses the rest, which would look like a CORS failure), with its 1-based position in
 * `value` as typed. Surrounding whitespace is ignored: it is trimmed before sending.
 */
export function badHeaderChar(
	value: string
): { what: string; code: string; position: number } | undefined {
	const chars = Array.from(value);
	const lead = Array.from(value.slice(0, value.length - value.trimStart().length)).length;
	const end = lead + Array.from(value.trim()).length;
	for (let i = lead; i < end; i++) {
		const cp = chars[i]?.codePointAt(0) ?? 0;
		if (cp >= 0x20 && cp <= 0x7e) continue;
		const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
		const what =
			CHAR_NAMES[cp] ??
			(cp < 0x20 || (cp >= 0x80 && cp < 0xa0) ? 'a control character' : `“${chars[i]}”`);
		return { what, code, position: i + 1 };
	}
	return undefined;
}

/**
 * What the browser would refuse to send, by field: a key or header value with a character HTTP
 * does not allow, an idle timeout past {@link MAX_TIMEOUT_S}. Nothing is sent while one stands.
 */
export function endpointErrors(endpoint: EndpointConfig): Record<string, Message> {
	const errors: Record<string, Message> = {};
	const keyChar = badHeaderChar(endpoint.apiKey);
	if (keyChar) errors.apiKey = { key: 'endpoint.error.keyChar', vars: keyChar };
	for (const [i, line] of endpoint.extraHeaders.split(/\r?\n/).entries()) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const bad = badHeaderChar(line.slice(colon + 1));
		if (bad) {
			errors.extraHeaders = {
				key: 'endpoint.error.headerChar',
				vars: {
					...bad,
					position: colon + 1 + bad.position,
					line: i + 1,
					name: line.slice(0, colon).trim()
				}
			};
			break;
		}
	}
	const seconds = endpoint.timeoutMs / 1000;
	if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_TIMEOUT_S)
		errors.timeoutMs = { key: 'endpoint.error.timeout', vars: { max: MAX_TIMEOUT_S } };
	return errors;
}
