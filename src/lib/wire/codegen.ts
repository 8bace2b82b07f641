/** The exact request as code to run elsewhere: cURL, JavaScript, Python (openai), Python (requests). */
import type { PreparedMediaRequest, PreparedRequest } from './types.ts';
import { isSecretHeader, MODE_PATHS, splitScheme } from './endpoint.ts';

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

/** One `-H` argument per header, the key (and other secrets) read from the environment. */
function curlHeaders(headers: Record<string, string>, opts: CodegenOptions): string[] {
	return Object.entries(headers).map(([name, value]) => {
		const parts = keyed(name, value, opts);
		// Inside double quotes only the env var expands; the rest is escaped for the shell.
		const arg = parts.every((p) => 'text' in p)
			? shellQuote(`${name}: ${value}`)
			: `"${[{ text: `${name}: ` }, ...parts].map((p) => ('text' in p ? p.text.replace(/(["\\$`])/g, '\\$1') : `$${p.env}`)).join('')}"`;
		return `  -H ${arg}`;
	});
}

export function toCurl(req: PreparedRequest | PreparedMediaRequest, opts: CodegenOptions): string {
	const lines = [`curl ${shellQuote(req.url)}`, ...curlHeaders(req.headers, opts)];
	if (!('mode' in req)) lines.push(`  -d ${shellQuote(JSON.stringify(req.body, null, 2))}`);
	else if (req.json) lines.push(`  -d ${shellQuote(JSON.stringify(req.json, null, 2))}`);
	for (const part of 'mode' in req ? (req.form ?? []) : [])
		lines.push(
			'file' in part
				? `  -F ${shellQuote(`${part.name}=@${curlFileName(part.fileName)}`)}`
				: // -F would read `@x` or `<x` as a file and `;type=` as a part header: taken literally.
					/^[@<"]|;/.test(part.value)
					? `  --form-string ${shellQuote(`${part.name}=${part.value}`)}`
					: `  -F ${shellQuote(`${part.name}=${part.value}`)}`
		);
	if ('mode' in req && req.mode === 'speech') lines.push(`  --output ${speechFile(req)}`);
	return lines.join(' \\\n');
}

/** A file name as `-F name=@…` reads it: quoted when it holds what -F would split on. */
function curlFileName(name: string): string {
	return /[;,"\\]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name;
}

/** Where an exported speech request saves its audio: `speech.mp3`, `speech.wav`, … */
function speechFile(req: PreparedMediaRequest): string {
	const format = req.json?.response_format;
	return `speech.${typeof format === 'string' && /^[a-z0-9]{1,8}$/.test(format) ? format : 'mp3'}`;
}

function jsString(s: string): string {
	return JSON.stringify(s);
}

/** Whether the answer streams: chat with `stream`, or a transcription sent with `stream=true`. */
function streams(req: PreparedRequest | PreparedMediaRequest): boolean {
	if (!('mode' in req)) return req.body.stream === true;
	return (req.form ?? []).some((p) => p.name === 'stream' && 'value' in p && p.value === 'true');
}

export function toJavaScript(
	req: PreparedRequest | PreparedMediaRequest,
	opts: CodegenOptions
): string {
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
	const json = 'mode' in req ? req.json : req.body;
	const form = 'mode' in req ? req.form : undefined;
	const imports: string[] = [];
	let prelude = '';
	if (form) {
		imports.push("import { openAsBlob } from 'node:fs';");
		prelude = `const form = new FormData();
${form
	.map((p) =>
		'file' in p
			? `form.append(${jsString(p.name)}, await openAsBlob(${jsString(p.fileName)}), ${jsString(p.fileName)});`
			: `form.append(${jsString(p.name)}, ${jsString(p.value)});`
	)
	.join('\n')}

`;
	}
	let output = 'console.log(await response.json());';
	if (streams(req))
		output = `const reader = response.body.getReader();
const decoder = new TextDecoder();
for (;;) {
\tconst { done, value } = await reader.read();
\tif (done) break;
\tprocess.stdout.write(decoder.decode(value, { stream: true }));
}`;
	else if ('mode' in req && req.mode === 'speech') {
		imports.push("import { writeFile } from 'node:fs/promises';");
		output = `await writeFile(${jsString(speechFile(req))}, Buffer.from(await response.arrayBuffer()));`;
	} else if ('mode' in req && req.mode === 'transcription')
		output = 'console.log(await response.text());';
	const body = json
		? `JSON.stringify(${JSON.stringify(json, null, 2).replace(/\n/g, '\n\t')})`
		: 'form';
	return `${imports.length ? `${imports.join('\n')}\n\n` : ''}${prelude}const response = await fetch(${jsString(req.url)}, {
\tmethod: 'POST',
\theaders: {
${headers.join(',\n')}
\t},
\tbody: ${body}
});
${output}
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
	const headers = Object.entries(req.headers)
		.map(([k, v]) => `    ${JSON.stringify(k)}: ${pyHeaderValue(k, v, opts)},`)
		.join('\n');
	const streaming = streams(req);
	const json = 'mode' in req ? req.json : req.body;
	const form = 'mode' in req ? req.form : undefined;
	const args: string[] = [];
	if (json) args.push(`    json=${py(json, '    ')},`);
	if (form) {
		const files = form.flatMap((p) =>
			'file' in p
				? [
						`        ${JSON.stringify(p.name)}: (${JSON.stringify(p.fileName)}, open(${JSON.stringify(p.fileName)}, "rb")),`
					]
				: []
		);
		const fields = form.flatMap((p) =>
			'value' in p ? [`        (${JSON.stringify(p.name)}, ${JSON.stringify(p.value)}),`] : []
		);
		args.push(
			`    files={\n${files.join('\n')}\n    },`,
			`    data=[\n${fields.join('\n')}\n    ],`
		);
	}
	if (streaming) args.push('    stream=True,');
	let output = 'print(json.dumps(response.json(), indent=2))';
	if (streaming)
		output = `for line in response.iter_lines(decode_unicode=True):
    if line:
        print(line)`;
	else if ('mode' in req && req.mode === 'speech')
		output = `with open(${JSON.stringify(speechFile(req))}, "wb") as f:
    f.write(response.content)`;
	else if ('mode' in req && req.mode === 'transcription') output = 'print(response.text)';
	return `import json
import os

import requests

response = requests.post(
    ${JSON.stringify(req.url)},
    headers={
${headers.replace(/^/gm, '    ')}
    },
${args.join('\n')}
)
${output}
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

/** What the openai SDK takes as keyword arguments of each media call; the rest go in extra_body. */
const SDK_MEDIA_FIELDS: Record<PreparedMediaRequest['mode'], ReadonlySet<string>> = {
	images: new Set([
		'model',
		'prompt',
		'n',
		'size',
		'quality',
		'style',
		'response_format',
		'background',
		'output_format',
		'output_compression',
		'moderation',
		'user'
	]),
	speech: new Set(['model', 'input', 'voice', 'response_format', 'speed', 'instructions']),
	transcription: new Set([
		'model',
		'language',
		'prompt',
		'response_format',
		'temperature',
		'timestamp_granularities',
		'stream',
		'include'
	])
};

/** A multipart form's fields as the SDK takes them: `x[]` parts as a list, numbers and booleans typed. */
function formFields(form: NonNullable<PreparedMediaRequest['form']>): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const part of form) {
		if (!('value' in part)) continue;
		if (part.name.endsWith('[]')) {
			const name = part.name.slice(0, -2);
			fields[name] = [...((fields[name] as unknown[] | undefined) ?? []), part.value];
		} else if (part.name === 'stream') fields.stream = part.value === 'true';
		else if (part.name === 'temperature') fields.temperature = Number(part.value);
		else fields[part.name] = part.value;
	}
	return fields;
}

/** The SDK call and what to do with its answer, for each kind of request. */
function sdkCall(req: PreparedRequest | PreparedMediaRequest): {
	fields: Record<string, unknown>;
	known: ReadonlySet<string>;
	file?: string;
	output: (args: string) => string;
} {
	if (!('mode' in req)) {
		const streaming = req.body.stream === true;
		return {
			fields: req.body,
			known: SDK_FIELDS,
			output: (args) =>
				streaming
					? `stream = client.chat.completions.create(\n${args}\n)\nfor chunk in stream:\n    print(chunk.model_dump_json())`
					: `completion = client.chat.completions.create(\n${args}\n)\nprint(completion.model_dump_json(indent=2))`
		};
	}
	const known = SDK_MEDIA_FIELDS[req.mode];
	if (req.mode === 'images')
		return {
			fields: req.json ?? {},
			known,
			output: (args) =>
				`result = client.images.generate(\n${args}\n)\nprint(result.model_dump_json(indent=2))`
		};
	if (req.mode === 'speech')
		return {
			fields: req.json ?? {},
			known,
			output: (args) =>
				`with client.audio.speech.with_streaming_response.create(\n${args}\n) as response:\n    response.stream_to_file(${JSON.stringify(speechFile(req))})`
		};
	const form = req.form ?? [];
	const file = form.find((p) => 'file' in p);
	const fields = formFields(form);
	return {
		fields,
		known,
		...(file && 'file' in file ? { file: file.fileName } : {}),
		output: (args) =>
			fields.stream === true
				? `stream = client.audio.transcriptions.create(\n${args}\n)\nfor event in stream:\n    print(event.model_dump_json())`
				: `transcription = client.audio.transcriptions.create(\n${args}\n)\nprint(transcription)`
	};
}

export function toPythonOpenAI(
	req: PreparedRequest | PreparedMediaRequest,
	opts: CodegenOptions
): string {
	const path = 'mode' in req ? MODE_PATHS[req.mode] : MODE_PATHS.chat;
	const base = req.url.endsWith(path) ? req.url.slice(0, -path.length) : req.url;
	const auth = req.headers.Authorization;
	const usesBearer = auth !== undefined && auth.startsWith('Bearer ');
	const extraHeaders = Object.entries(req.headers).filter(
		([k]) => k !== 'Content-Type' && !(usesBearer && k === 'Authorization')
	);
	const key = usesBearer
		? pyHeaderValue('Authorization', auth.slice('Bearer '.length), opts)
		: JSON.stringify('unused');
	const { fields, known, file, output } = sdkCall(req);
	const args = Object.entries(fields)
		.filter(([k]) => known.has(k))
		.map(([k, v]) => `    ${k}=${py(v, '    ')},`);
	if (file !== undefined) args.unshift(`    file=open(${JSON.stringify(file)}, "rb"),`);
	const extra = Object.fromEntries(Object.entries(fields).filter(([k]) => !known.has(k)));
	if (Object.keys(extra).length) args.push(`    extra_body=${py(extra, '    ')},`);
	if (extraHeaders.length)
		args.push(
			`    extra_headers={\n${extraHeaders.map(([k, v]) => `        ${JSON.stringify(k)}: ${pyHeaderValue(k, v, opts)},`).join('\n')}\n    },`
		);
	return `import os

from openai import OpenAI

client = OpenAI(base_url=${JSON.stringify(base)}, api_key=${key})

${output(args.join('\n'))}
`;
}
