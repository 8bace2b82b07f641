import { describe, expect, it } from 'vitest';
import {
	badHeaderChar,
	buildHeaders,
	endpointErrors,
	isSecretHeader,
	MAX_TIMEOUT_S,
	maskHeaders,
	maskKey,
	parseHeaderLines,
	resolveChatUrl,
	resolveModelsUrl,
	stripSecretHeaders
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

describe('credentials in the base URL', () => {
	it('are refused with the reason, for chat and for the model list', () => {
		for (const base of ['https://user:pass@host/v1', 'https://user@host', 'http://:pw@127.0.0.1:1'])
			expect(resolveChatUrl(base)).toEqual({
				ok: false,
				message: { key: 'endpoint.error.credentials' }
			});
		expect(resolveModelsUrl('https://user:pass@host/v1')).toBeUndefined();
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

describe('secret headers', () => {
	it('isSecretHeader: credentials by name, whatever the case', () => {
		for (const name of [
			'Authorization',
			'proxy-authorization',
			'Cookie',
			'X-Api-Key',
			'api-key',
			'x-goog-apikey',
			'X-Auth-Token',
			'X-Client-Secret',
			'X-Password'
		])
			expect(isSecretHeader(name), name).toBe(true);
		for (const name of ['Content-Type', 'X-Org', 'X-Trace-ID', 'Accept', 'X-Keyboard'])
			expect(isSecretHeader(name), name).toBe(false);
	});

	it('maskHeaders masks secret extra headers, keeping the auth scheme', () => {
		const masked = maskHeaders(
			{
				Authorization: 'Bearer other-token-0123456789',
				'X-Custom-Token': 'tok-abcdefghijklmnop',
				Cookie: 'session=0123456789abcdef',
				'X-Org': 'acme'
			},
			''
		);
		expect(masked).toEqual({
			Authorization: `Bearer ${maskKey('other-token-0123456789')}`,
			'X-Custom-Token': maskKey('tok-abcdefghijklmnop'),
			Cookie: maskKey('session=0123456789abcdef'),
			'X-Org': 'acme'
		});
	});

	it('stripSecretHeaders drops secret values and keeps the rest as typed', () => {
		expect(
			stripSecretHeaders('Authorization: Bearer abc\r\nX-Org: acme\nCookie: a=1\n\nx-api-key:k')
		).toBe('Authorization:\nX-Org: acme\nCookie:\n\nx-api-key:');
	});
});

describe('characters HTTP headers do not allow', () => {
	it('names the character, its code point and its position as typed', () => {
		expect(badHeaderChar('sk-abcdefgh\u200bijk')).toEqual({
			what: 'a zero-width space',
			code: 'U+200B',
			position: 12
		});
		expect(badHeaderChar('  sk-\u2019x')).toMatchObject({ code: 'U+2019', position: 6 });
		expect(badHeaderChar('sk-密钥')).toEqual({ what: '“密”', code: 'U+5BC6', position: 4 });
		expect(badHeaderChar('a\u0000b')).toMatchObject({ what: 'a NUL character', position: 2 });
		expect(badHeaderChar('sk-x\u00a0')).toBeUndefined(); // surrounding space is trimmed
		expect(badHeaderChar('😀x')).toMatchObject({ code: 'U+1F600', position: 1 });
		expect(badHeaderChar(' Bearer sk-ok ')).toBeUndefined();
		expect(badHeaderChar('Bearer\tsk')).toMatchObject({ what: 'a tab', position: 7 });
	});

	it('endpointErrors puts each problem on its field', () => {
		const errors = endpointErrors(
			endpoint({
				apiKey: 'sk-abcdefgh\u200bijk',
				extraHeaders: 'X-Org: acme\nX-Team: “a”',
				timeoutMs: 2_147_484_000
			})
		);
		expect(errors).toEqual({
			apiKey: {
				key: 'endpoint.error.keyChar',
				vars: { what: 'a zero-width space', code: 'U+200B', position: 12 }
			},
			extraHeaders: {
				key: 'endpoint.error.headerChar',
				vars: {
					what: 'a left double quotation mark',
					code: 'U+201C',
					position: 9,
					line: 2,
					name: 'X-Team'
				}
			},
			timeoutMs: { key: 'endpoint.error.timeout', vars: { max: MAX_TIMEOUT_S } }
		});
	});

	it('a clean endpoint and a timeout up to a day have no errors', () => {
		expect(endpointErrors(endpoint({ apiKey: 'sk-ok', timeoutMs: MAX_TIMEOUT_S * 1000 }))).toEqual(
			{}
		);
		expect(endpointErrors(endpoint({ timeoutMs: 0 }))).toEqual({});
		expect(endpointErrors(endpoint({ timeoutMs: Infinity })).timeoutMs).toBeDefined();
	});
});
