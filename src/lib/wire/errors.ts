/** Every way a request fails → one WireError with the server's own words and what to do. */
import type { WireError } from './types.ts';

const MAX_DETAIL = 2000;

function clip(text: string, max = MAX_DETAIL): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Text of an HTML page: its title and visible words, never markup. */
export function htmlToText(html: string): string {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
	const body = html
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
	return title && !body.startsWith(title) ? `${title}: ${body}` : body;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The message inside any of the error shapes gateways send. */
export function errorMessageOf(body: unknown): string | undefined {
	if (typeof body === 'string') return body || undefined;
	if (!isObject(body)) return undefined;
	const inner = body.error;
	// `{ "error": "Not Found", "message": "…" }`: the message says more than the status word.
	if (typeof inner === 'string')
		return typeof body.message === 'string' && body.message ? `${body.message} (${inner})` : inner;
	if (isObject(inner)) {
		const message = typeof inner.message === 'string' ? inner.message : undefined;
		const code = inner.code ?? inner.type;
		if (message)
			return code !== undefined && code !== null && !message.includes(String(code))
				? `${message} (${String(code)})`
				: message;
		if (code !== undefined) return String(code);
	}
	for (const key of ['message', 'detail', 'msg', 'error_msg']) {
		const v = body[key];
		if (typeof v === 'string') return v;
		if (Array.isArray(v) || isObject(v)) return JSON.stringify(v);
	}
	return undefined;
}

/** Retry-After: seconds, or an HTTP date. */
function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** A non-2xx response, whatever its body is. */
export function httpError(
	status: number,
	statusText: string,
	bodyText: string,
	headers: Headers
): WireError {
	const type = headers.get('content-type') ?? '';
	let said: string | undefined;
	const trimmed = bodyText.trim();
	if (/html/i.test(type) || /^<(!doctype|html)/i.test(trimmed)) said = htmlToText(trimmed);
	else {
		try {
			said = errorMessageOf(JSON.parse(trimmed));
		} catch {
			said = trimmed || undefined;
		}
	}
	const retryAfter = retryAfterSeconds(headers.get('retry-after'));
	const error: WireError = {
		kind: 'http',
		status,
		message: {
			key: said ? 'error.http' : 'error.httpBare',
			vars: { status, statusText: statusText || reason(status), said: clip(said ?? '', 300) }
		},
		detail: clip(trimmed)
	};
	if (retryAfter !== undefined) {
		error.retryAfter = retryAfter;
		error.hint = { key: 'error.hint.retryAfter', vars: { seconds: retryAfter } };
	} else if (status === 401 || status === 403) error.hint = { key: 'error.hint.auth' };
	else if (status === 404) error.hint = { key: 'error.hint.notFound' };
	else if (status === 429) error.hint = { key: 'error.hint.rateLimit' };
	else if (status >= 500) error.hint = { key: 'error.hint.server' };
	return error;
}

function reason(status: number): string {
	const reasons: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		408: 'Request Timeout',
		413: 'Payload Too Large',
		422: 'Unprocessable Entity',
		429: 'Too Many Requests',
		500: 'Internal Server Error',
		502: 'Bad Gateway',
		503: 'Service Unavailable',
		504: 'Gateway Timeout'
	};
	return reasons[status] ?? '';
}

/** An error object inside the stream (`data: {"error": …}` or `event: error`). */
export function streamError(data: string): WireError {
	let said: string | undefined;
	try {
		said = errorMessageOf(JSON.parse(data));
	} catch {
		said = data;
	}
	return {
		kind: 'stream',
		message: { key: 'error.stream', vars: { said: clip(said ?? data, 300) } },
		hint: { key: 'error.hint.partial' },
		detail: clip(data)
	};
}

/**
 * fetch rejected without a response. The browser hides why on purpose, so say what it
 * usually is: CORS for another origin, else a closed port or no network.
 */
export function networkError(
	err: unknown,
	url: string,
	pageOrigin?: string,
	reachable?: boolean
): WireError {
	let crossOrigin: boolean;
	try {
		crossOrigin = pageOrigin !== undefined && new URL(url).origin !== pageOrigin;
	} catch {
		crossOrigin = false;
	}
	const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
	// An opaque probe answered: the server is up, so the refusal was CORS. No answer: it is down.
	if (reachable !== undefined) crossOrigin = crossOrigin && reachable;
	return crossOrigin
		? {
				kind: 'cors',
				message: { key: 'error.cors', vars: { origin: safeOrigin(url) } },
				hint: { key: 'error.hint.cors', vars: { origin: pageOrigin ?? '' } },
				detail
			}
		: {
				kind: 'network',
				message: { key: 'error.network', vars: { origin: safeOrigin(url) } },
				hint: { key: 'error.hint.network' },
				detail
			};
}

function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return url;
	}
}

/** The connection broke after the response started (TCP drop, proxy cut). */
export function droppedError(err: unknown): WireError {
	return {
		kind: 'network',
		message: { key: 'error.dropped' },
		hint: { key: 'error.hint.partial' },
		detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err)
	};
}

/** Which time limit ran out: the wait for the response, or a silence after it started. */
export type TimeoutLimit = 'firstByte' | 'idle';

export function timeoutError(limit: TimeoutLimit, ms: number): WireError {
	return {
		kind: 'timeout',
		message: { key: `error.timeout.${limit}`, vars: { seconds: ms / 1000 } },
		hint: { key: 'error.hint.timeout' }
	};
}

export function abortError(): WireError {
	return { kind: 'abort', message: { key: 'error.abort' } };
}

/** A 2xx body that is not the JSON it claims to be. */
export function parseError(text: string): WireError {
	return {
		kind: 'parse',
		message: { key: 'error.parse', vars: { start: clip(text.trim(), 200) } },
		hint: { key: 'error.hint.parse' },
		detail: clip(text)
	};
}

/** A 2xx answer with no answer in it: an empty body, or a page (a login wall, a proxy). */
export function unexpectedBody(status: number, contentType: string, text: string): WireError {
	const trimmed = text.trim();
	const type = contentType || '?';
	if (!trimmed)
		return {
			kind: 'parse',
			message: { key: 'error.emptyBody', vars: { status, type } },
			hint: { key: 'error.hint.parse' }
		};
	const html = /html/i.test(contentType) || /^<(!doctype|html)/i.test(trimmed);
	return {
		kind: 'parse',
		message: {
			key: 'error.unexpected',
			vars: { status, type, start: clip(html ? htmlToText(trimmed) : trimmed, 200) }
		},
		hint: { key: 'error.hint.parse' },
		detail: clip(trimmed)
	};
}

/** An event the server sent that breaks the protocol; `problem` says how, `data` is its words. */
export function protocolError(problem: string, data: string): WireError {
	return {
		kind: 'protocol',
		message: { key: 'error.protocol', vars: { problem, said: clip(data, 300) } },
		hint: { key: 'error.hint.partial' },
		detail: clip(data)
	};
}

/** Reading the answer failed on our side (a bug, not the server): say so, keep what arrived. */
export function readError(problem: string): WireError {
	return {
		kind: 'protocol',
		message: { key: 'error.read', vars: { problem } },
		hint: { key: 'error.hint.partial' }
	};
}

/** The answer grew past the size cap; reading stopped, what arrived is kept. */
export function sizeError(maxBytes: number): WireError {
	return {
		kind: 'size',
		message: { key: 'error.size', vars: { mb: Math.round(maxBytes / 1024 / 1024) } },
		hint: { key: 'error.hint.partial' }
	};
}

/** A redirect fetch did not follow: opaque in a browser (status 0), a 3xx elsewhere. */
export function isRedirect(response: Response): boolean {
	return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

/**
 * The server answered with a redirect, which is not followed: the key (and on 307/308 the
 * conversation) would go wherever it points. A browser hides the Location of such a response.
 */
export function redirectError(url: string, status: number, location: string | null): WireError {
	return {
		kind: 'redirect',
		...(status ? { status } : {}),
		message: location
			? { key: 'error.redirect', vars: { location } }
			: { key: 'error.redirectHidden', vars: { url } },
		hint: { key: 'error.hint.redirect' }
	};
}

/** A 2xx answer that parsed but holds no image, or no transcript text: its start is quoted. */
export function missingMedia(what: 'images' | 'transcript', text: string): WireError {
	return {
		kind: 'parse',
		message: {
			key: what === 'images' ? 'error.noImages' : 'error.noTranscript',
			vars: { start: clip(text.trim(), 200) }
		},
		hint: { key: 'error.hint.parse' },
		detail: clip(text)
	};
}

/** Image bytes that are no raster image the page shows (an SVG could run script): refused. */
export function notImageError(start: string): WireError {
	return { kind: 'parse', message: { key: 'error.notImage', vars: { start } } };
}
