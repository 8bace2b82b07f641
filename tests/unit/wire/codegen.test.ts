import { describe, expect, it } from 'vitest';
import {
	toCurl,
	toJavaScript,
	toPythonOpenAI,
	toPythonRequests
} from '../../../src/lib/wire/codegen.ts';
import type { PreparedRequest } from '../../../src/lib/wire/types.ts';

const KEY = 'sk-secret-key-0123456789';
const URL_ = 'https://gw.example/v1/chat/completions';

function request(body: Partial<PreparedRequest['body']> = {}): PreparedRequest {
	return {
		url: URL_,
		headers: {
			'Content-Type': 'application/json',
			Authorization: `Bearer ${KEY}`,
			'X-Org': 'acme'
		},
		body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }
	};
}

/** The `-d '…'` argument of a cURL command, with the shell's '\'' escaping undone. */
function curlData(cmd: string): string {
	const m = /-d '((?:[^']|'\\'')*)'$/.exec(cmd);
	if (!m) throw new Error(`no -d argument in:\n${cmd}`);
	return (m[1] ?? '').replace(/'\\''/g, "'");
}

describe('toCurl', () => {
	it('without includeKey: no key, reads $OPENAI_API_KEY', () => {
		const cmd = toCurl(request(), { apiKey: KEY, includeKey: false });
		expect(cmd).not.toContain(KEY);
		expect(cmd).toContain('$OPENAI_API_KEY');
		expect(cmd).toContain('-H "Authorization: Bearer $OPENAI_API_KEY"');
		expect(cmd).toContain(`curl '${URL_}'`);
		expect(cmd).toContain("-H 'X-Org: acme'");
	});

	it('with includeKey: the key is in it', () => {
		const cmd = toCurl(request(), { apiKey: KEY, includeKey: true });
		expect(cmd).toContain(`Bearer ${KEY}`);
		expect(cmd).not.toContain('$OPENAI_API_KEY');
	});

	it('the body round-trips through the shell quoting: quote, newline, unicode', () => {
		const body = request({
			messages: [
				{ role: 'system', content: 'It\'s a "test" with a\nnewline and a back\\slash' },
				{ role: 'user', content: "你好 🎉 l'été — '' ''' $HOME `ls`" }
			],
			stop: ["'", '\n']
		}).body;
		const cmd = toCurl({ ...request(), body }, { apiKey: KEY, includeKey: false });
		const data = curlData(cmd);
		expect(JSON.parse(data)).toEqual(body);
	});

	it('a key inside another header is replaced too, with shell specials escaped', () => {
		const req: PreparedRequest = {
			...request(),
			headers: { 'x-api-key': KEY, 'X-Note': `"$x" ${KEY}` }
		};
		const cmd = toCurl(req, { apiKey: KEY, includeKey: false });
		expect(cmd).not.toContain(KEY);
		expect(cmd).toContain('-H "x-api-key: $OPENAI_API_KEY"');
		expect(cmd).toContain('-H "X-Note: \\"\\$x\\" $OPENAI_API_KEY"');
	});
});

describe('other languages', () => {
	const opts = { apiKey: KEY, includeKey: false };

	it('toJavaScript mentions the URL and the env var, not the key', () => {
		const js = toJavaScript(request({ stream: true }), opts);
		expect(js).toContain(JSON.stringify(URL_));
		expect(js).toContain('process.env.OPENAI_API_KEY');
		expect(js).not.toContain(KEY);
		expect(js).toContain('getReader()');
		expect(toJavaScript(request(), opts)).toContain('response.json()');
	});

	it('toJavaScript with includeKey has the key', () => {
		expect(toJavaScript(request(), { apiKey: KEY, includeKey: true })).toContain(KEY);
	});

	it('toPythonOpenAI uses the base URL, the env var, and extra_body for unknown fields', () => {
		const py = toPythonOpenAI(request({ top_k: 40, stream: true, seed: 1 }), opts);
		expect(py).toContain('base_url="https://gw.example/v1"');
		expect(py).toContain('os.environ["OPENAI_API_KEY"]');
		expect(py).not.toContain(KEY);
		expect(py).toContain('extra_body={');
		expect(py).toContain('"top_k": 40');
		expect(py).toContain('stream=True');
		expect(py).toContain('"X-Org": "acme"');
		expect(py).not.toContain('"Authorization"');
	});

	it('toPythonRequests uses the URL and env var, and Python literals', () => {
		const py = toPythonRequests(request({ stream: false, logprobs: null, n: 1 }), opts);
		expect(py).toContain(JSON.stringify(URL_));
		expect(py).toContain('"Bearer " + os.environ["OPENAI_API_KEY"]');
		expect(py).not.toContain(KEY);
		expect(py).toContain('"stream": False');
		expect(py).toContain('"logprobs": None');
		expect(py).not.toContain('false');
	});
});

describe('secret extra headers', () => {
	const TOKEN = 'tok-extra-abcdefghijkl';
	const COOKIE = 'session=0123456789abcdef';
	const req = (): PreparedRequest => ({
		...request(),
		headers: {
			'Content-Type': 'application/json',
			Authorization: `Bearer ${KEY}`,
			'X-Custom-Token': TOKEN,
			Cookie: COOKIE,
			'X-Org': 'acme'
		}
	});
	const opts = { apiKey: KEY, includeKey: false };

	it('are read from variables named after them, in every language', () => {
		const curl = toCurl(req(), opts);
		expect(curl).toContain('-H "X-Custom-Token: $X_CUSTOM_TOKEN"');
		expect(curl).toContain('-H "Cookie: $COOKIE"');
		expect(toJavaScript(req(), opts)).toContain(
			'"X-Custom-Token": `${process.env.X_CUSTOM_TOKEN}`'
		);
		expect(toPythonRequests(req(), opts)).toContain('"Cookie": os.environ["COOKIE"]');
		expect(toPythonOpenAI(req(), opts)).toContain('"X-Custom-Token": os.environ["X_CUSTOM_TOKEN"]');
		for (const make of [toCurl, toJavaScript, toPythonOpenAI, toPythonRequests]) {
			const code = make(req(), opts);
			for (const secret of [KEY, TOKEN, COOKIE]) expect(code).not.toContain(secret);
			expect(code).toContain('acme');
		}
	});

	it('an Authorization typed as an extra header keeps its scheme, not its token', () => {
		const r: PreparedRequest = {
			...request(),
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }
		};
		expect(toCurl(r, opts)).toContain('-H "Authorization: Bearer $AUTHORIZATION"');
		expect(toPythonOpenAI(r, opts)).toContain('api_key=os.environ["AUTHORIZATION"]');
	});

	it('with includeKey they are in it as sent', () => {
		const code = toCurl(req(), { apiKey: KEY, includeKey: true });
		expect(code).toContain(`X-Custom-Token: ${TOKEN}`);
		expect(code).toContain(`Cookie: ${COOKIE}`);
	});
});
