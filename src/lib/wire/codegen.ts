/** The exact request as code to run elsewhere: cURL, JavaScript, Python (openai), Python (requests). */
import type { PreparedMediaRequest, PreparedRequest } from './types.ts';
import { isSecretHeader, splitScheme } from './endpoint.ts';

export interface CodegenOptions {
	/** The key the request was sent with. */
	apiKey: string;
	/**
	 * Without it the key is read from OPENAI_API_KEY, and other secret headers (Cookie, X-…-Token)
	 * from variables named after them: exports are often pasted into tickets.
	 */
	includeKey: boolean;
}

const ENV = 'OPENAI_API_KEY';

type Part = { text: string } | { env: string };

/** `X-Api-Token` → `X_API_TOKEN`. */
function envName(header: string): string {
	return header.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Split a header value around its secrets so each language can splice in its own env lookup:
 * the key wherever it occurs, and the credential of a secret header (after `Bearer ` and such).
 */
function keyed(name: string, value: string, opts: CodegenOptions): Part[] {
	if (opts.includeKey) return [{ text: value }];
	const key = opts.apiKey.trim();
	if (key && value.includes(key)) {
		const out: Part[] = [];
		value.split(key).forEach((text, i) => {
			if (i > 0) out.push({ env: ENV });
			if (text) out.push({ text });
		});
		return out;
	}
	if (!isSecretHeader(name) || !value) return [{ text: value }];
	const [scheme, credential] = splitScheme(value);
	if (!credential) return [{ text: value }];
	return [...(scheme ? [{ text: scheme }] : []), { env: envName(name) }];
}

function shellQuote(s: string): string {
	return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(req: PreparedRequest | PreparedMediaRequest, opts: CodegenOptions): string {
	if ('mode' in req) throw new Error('todo');
	const lines = [`curl ${shellQuote(req.url)}`];
	for (const [name, value] of Object.entries(req.headers)) {
		const parts = keyed(name, value, opts);
		// Inside double quotes only the env var expands; the rest is escaped for the shell.
		const arg = parts.every((p) => 'text' in p)
			? shellQuote(`${name}: ${value}`)
			: `"${[{ text: `${name}: ` }, ...parts].map((p) => ('text' in p ? p.text.replace(/(["\\$`])/g, '\\$1') : `$${p.env}`)).join('')}"`;
		lines.push(`  -H ${arg}`);
	}
	lines.push(`  -d ${shellQuote(JSON.stringify(req.body, null, 2))}`);
	return lines.join(' \\\n');
}

function jsString(s: string): string {
	return JSON.stringify(s);
}

export function toJavaScript(
	req: PreparedRequest | PreparedMediaRequest,
	opts: CodegenOptions
): string {
	if ('mode' in req) throw new Error('todo');
	const headers = Object.entries(req.headers).map(([name, value]) => {
		const parts = keyed(name, value, opts);
		const expr = parts.every((p) => 'text' in p)
			? jsString(value)
			: '`' +
				parts
					.map((p) =>
						'text' in p ? p.text.replace(/[`\\$]/g, '\\$&') : `\${process.env.${p.env}}`
					)
					.join('') +
				'`';
		return `\t\t${jsString(name)}: ${expr}`;
	});
	const streaming = req.body.stream === true;
	return `const response = await fetch(${jsString(req.url)}, {
\tmethod: 'POST',
\theaders: {
${headers.join(',\n')}
\t},
\tbody: JSON.stringify(${JSON.stringify(req.body, null, 2).replace(/\n/g, '\n\t')})
});
${
	streaming
		? `const reader = response.body.getReader();
const decoder = new TextDecoder();
for (;;) {
\tconst { done, value } = await reader.read();
\tif (done) break;
\tprocess.stdout.write(decoder.decode(value, { stream: true }));
}`
		: 'console.log(await response.json());'
}
`;
}

/** Python literal for JSON data: true/false/null become True/False/None. */
function py(value: unknown, indent = ''): string {
	if (value === null || value === undefined) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (typeof value === 'number') return JSON.stringify(value);
	if (typeof value === 'string') return JSON.stringify(value);
	const inner = `${indent}    `;
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		return `[\n${value.map((v) => `${inner}${py(v, inner)}`).join(',\n')},\n${indent}]`;
	}
	const entries = Object.entries(value as Record<string, unknown>);
	if (entries.length === 0) return '{}';
	return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${py(v, inner)}`).join(',\n')},\n${indent}}`;
}

function pyHeaderValue(name: string, value: string, opts: CodegenOptions): string {
	const parts = keyed(name, value, opts);
	if (parts.every((p) => 'text' in p)) return JSON.stringify(value);
	return parts
		.map((p) => ('text' in p ? JSON.stringify(p.text) : `os.environ[${JSON.stringify(p.env)}]`))
		.join(' + ');
}

export function toPythonRequests(
	req: PreparedRequest | PreparedMediaRequest,
	opts: CodegenOptions
): string {
	if ('mode' in req) throw new Error('todo');
	const headers = Object.entries(req.headers)
		.map(([k, v]) => `    ${JSON.stringify(k)}: ${pyHeaderValue(k, v, opts)},`)
		.join('\n');
	const streaming = req.body.stream === true;
	return `import json
import os

import requests

response = requests.post(
    ${JSON.stringify(req.url)},
    headers={
${headers.replace(/^/gm, '    ')}
    },
    json=${py(req.body, '    ')},${streaming ? '\n    stream=True,' : ''}
)
${
	streaming
		? `for line in response.iter_lines(decode_unicode=True):
    if line:
        print(line)`
		: 'print(json.dumps(response.json(), indent=2))'
}
`;
}

/** Body fields the openai SDK takes as keyword arguments; the rest go in extra_body. */
const SDK_FIELDS = new Set([
	'model',
	'messages',
	'temperature',
	'top_p',
	'max_tokens',
	'max_completion_tokens',
	'n',
	'stop',
	'presence_penalty',
	'frequency_penalty',
	'seed',
	'logit_bias',
	'user',
	'tools',
	'tool_choice',
	'parallel_tool_calls',
	'response_format',
	'reasoning_effort',
	'stream',
	'stream_options'
]);

export function toPythonOpenAI(
	req: PreparedRequest | PreparedMediaRequest,
	opts: CodegenOptions
): string {
	if ('mode' in req) throw new Error('todo');
	const base = req.url.replace(/\/chat\/completions$/, '');
	const auth = req.headers.Authorization;
	const usesBearer = auth !== undefined && auth.startsWith('Bearer ');
	const extraHeaders = Object.entries(req.headers).filter(
		([k]) => k !== 'Content-Type' && !(usesBearer && k === 'Authorization')
	);
	const key = usesBearer
		? pyHeaderValue('Authorization', auth.slice('Bearer '.length), opts)
		: JSON.stringify('unused');
	const args = Object.entries(req.body)
		.filter(([k]) => SDK_FIELDS.has(k))
		.map(([k, v]) => `    ${k}=${py(v, '    ')},`);
	const extra = Object.fromEntries(Object.entries(req.body).filter(([k]) => !SDK_FIELDS.has(k)));
	if (Object.keys(extra).length) args.push(`    extra_body=${py(extra, '    ')},`);
	if (extraHeaders.length)
		args.push(
			`    extra_headers={\n${extraHeaders.map(([k, v]) => `        ${JSON.stringify(k)}: ${pyHeaderValue(k, v, opts)},`).join('\n')}\n    },`
		);
	const streaming = req.body.stream === true;
	return `import os

from openai import OpenAI

client = OpenAI(base_url=${JSON.stringify(base)}, api_key=${key})

${streaming ? 'stream' : 'completion'} = client.chat.completions.create(
${args.join('\n')}
)
${
	streaming
		? `for chunk in stream:
    print(chunk.model_dump_json())`
		: 'print(completion.model_dump_json(indent=2))'
}
`;
}
