import { describe, expect, it } from 'vitest';
import {
	buildHeaders,
	maskHeaders,
	maskKey,
	parseHeaderLines,
	resolveChatUrl,
	resolveModelsUrl
} from '../../../src/lib/wire/endpoint.ts';
import { endpoint } from './helpers.ts';

describe('resolveChatUrl', () => {
	const table: Array<[string, string]> = [
		['https://host/v1', 'https://host/v1/chat/completions'],
		['https://host/v1/', 'https://host/v1/chat/completions'],
		['https://host/v1///', 'https://host/v1/chat/completions'],
		['  https://host/v1  ', 'https://host/v1/chat/completions'],
		['https://host', 'https://host/v1/chat/completions'],
		['https://host/', 'https://host/v1/chat/completions'],
		['https://host/v1/chat/completions', 'https://host/v1/chat/completions'],
		['https://host/v1/chat/completions/', 'https://host/v1/chat/completions'],
		['  https://host/v1/chat/completions  ', 'https://host/v1/chat/completions'],
		['https://host/api/openai', 'https://host/api/openai/chat/completions'],
		['http://127.0.0.1:8787/v1', 'http://127.0.0.1:8787/v1/chat/completions'],
		['https://host/openai/deployments/x', 'https://host/openai/deployments/x/chat/completions'],
		['http://localhost:11434/v1', 'http://localhost:11434/v1/chat/completions'],
		['https://host/api/v1?api-version=1', 'https://host/api/v1/chat/completions?api-version=1']
	];
	for (const [input, want] of table)
		it(`${JSON.stringify(input)} → ${want}`, () => {
			expect(resolveChatUrl(input)).toEqual({ ok: true, url: want });
		});

	it('host.com without a scheme → error suggesting https://host.com, path kept', () => {
		expect(resolveChatUrl('host.com')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.invalid', vars: { suggestion: 'https://host.com' } }
		});
		expect(resolveChatUrl('host.example/v1')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.invalid', vars: { suggestion: 'https://host.example/v1' } }
		});
	});

	it('empty and blank → empty error', () => {
		for (const s of ['', '   '])
			expect(resolveChatUrl(s)).toEqual({ ok: false, message: { key: 'endpoint.error.empty' } });
	});

	it('a non-http scheme → scheme error', () => {
		const r = resolveChatUrl('ftp://host/v1');
		expect(r.ok).toBe(false);
		expect(!r.ok && r.message).toEqual({
			key: 'endpoint.error.scheme',
			vars: { scheme: 'ftp:' }
		});
	});
});

describe('resolveModelsUrl', () => {
	it('sits next to the chat URL', () => {
		expect(resolveModelsUrl('https://host/v1')).toBe('https://host/v1/models');
		expect(resolveModelsUrl('https://host')).toBe('https://host/v1/models');
		expect(resolveModelsUrl('https://host/v1/chat/completions')).toBe('https://host/v1/models');
		expect(resolveModelsUrl(' https://host/api/ ')).toBe('https://host/api/models');
	});

	it('is undefined for what is not a URL', () => {
		expect(resolveModelsUrl('host.com')).toBeUndefined();
		expect(resolveModelsUrl('')).toBeUndefined();
	});
});

describe('parseHeaderLines', () => {
	it('reads Name: value lines, trimming, skipping blank lines, CRLF too', () => {
		expect(parseHeaderLines('X-A: 1\n\n  \r\nX-B:two words \r\nX-C: a:b\nX-D:  spaced ')).toEqual({
			ok: true,
			headers: { 'X-A': '1', 'X-B': 'two words', 'X-C': 'a:b', 'X-D': 'spaced' }
		});
	});

	it('empty text → no headers', () => {
		expect(parseHeaderLines('')).toEqual({ ok: true, headers: {} });
	});

	it('names the bad line number (1-based, counting blank lines)', () => {
		expect(parseHeaderLines('X-A: 1\n\nnot a header')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.headerLine', vars: { line: 3 } }
		});
		expect(parseHeaderLines(': no name')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.headerLine', vars: { line: 1 } }
		});
		expect(parseHeaderLines('X-A: 1\nBad Name: 2')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.headerLine', vars: { line: 2 } }
		});
	});
});

describe('buildHeaders', () => {
	const key = 'sk-test-1234567890abcdef';

	it('bearer', () => {
		const r = buildHeaders(endpoint({ apiKey: key, authMode: 'bearer' }));
		expect(r).toEqual({
			ok: true,
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }
		});
	});

	it('raw', () => {
		const r = buildHeaders(endpoint({ apiKey: ` ${key} `, authMode: 'raw' }));
		expect(r.ok && r.headers.Authorization).toBe(key);
	});

	it('header mode uses the named header and no Authorization', () => {
		const r = buildHeaders(endpoint({ apiKey: key, authMode: 'header', authHeader: 'x-api-key' }));
		expect(r).toEqual({
			ok: true,
			headers: { 'Content-Type': 'application/json', 'x-api-key': key }
		});
	});

	it('header mode with an invalid header name → error', () => {
		const r = buildHeaders(endpoint({ apiKey: key, authMode: 'header', authHeader: 'bad name' }));
		expect(r).toEqual({ ok: false, message: { key: 'endpoint.error.authHeader' } });
	});

	it('no key → no auth header at all', () => {
		for (const authMode of ['bearer', 'raw', 'header'] as const) {
			const r = buildHeaders(endpoint({ apiKey: '  ', authMode }));
			expect(r).toEqual({ ok: true, headers: { 'Content-Type': 'application/json' } });
		}
	});

	it('extra headers and the trace id are added; a bad extra line is an error', () => {
		const r = buildHeaders(endpoint({ extraHeaders: 'X-Org: acme' }), 'sb-1');
		expect(r.ok && r.headers).toEqual({
			'Content-Type': 'application/json',
			'X-Org': 'acme',
			'X-Trace-ID': 'sb-1'
		});
		expect(buildHeaders(endpoint({ extraHeaders: 'oops' })).ok).toBe(false);
	});
});

describe('maskHeaders', () => {
	const key = 'sk-live-abcdefghijklmnop';

	it('never contains the key, in any header', () => {
		const r = buildHeaders(
			endpoint({ apiKey: key, extraHeaders: `X-Copy: ${key}\nX-Twice: ${key}/${key}` })
		);
		expect(r.ok).toBe(true);
		const masked = maskHeaders(r.ok ? r.headers : {}, key);
		expect(JSON.stringify(masked)).not.toContain(key);
		expect(masked.Authorization).toBe(`Bearer ${maskKey(key)}`);
		expect(masked['X-Twice']).toBe(`${maskKey(key)}/${maskKey(key)}`);
		expect(masked['Content-Type']).toBe('application/json');
	});

	it('maskKey shows only a prefix and suffix, and hides short keys entirely', () => {
		expect(maskKey(key)).toBe('sk-…mnop');
		expect(maskKey('short')).toBe('•••••');
		expect(maskKey('ab')).toBe('•••');
	});

	it('without a key the headers are copied unchanged', () => {
		const h = { A: 'b' };
		const m = maskHeaders(h, '');
		expect(m).toEqual(h);
		expect(m).not.toBe(h);
	});
});
