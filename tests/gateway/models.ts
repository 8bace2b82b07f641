/**
 * What each model name does: normal answers, gateway dialects and every failure the app promises
 * to handle. One model per behaviour, so columns hitting different models at once each get theirs.
 */
import type { ServerResponse } from 'node:http';
import type { ChatChunk, ChatResponse, ErrorBody, ToolCall } from '../../src/lib/wire/types.ts';
import {
	chunk,
	choiceTexts,
	lastUserText,
	textEvents,
	textOf,
	toolCallEvents,
	toolCallsFor,
	usageFor,
	type LooseRequest,
	type StreamText
} from './chunks.ts';

/** Listed by `GET /v1/models`; `markdown:`, `chunked:` and `slow-headers:` take a parameter. */
export const MODELS = [
	'echo',
	'slow',
	'fast',
	'reasoning',
	'reasoning-alt',
	'tools',
	'json',
	'crlf',
	'nospace',
	'comments',
	'utf8-split',
	'no-done',
	'usage-last',
	'error-500-text',
	'error-502-html',
	'error-401-json',
	'error-400-code',
	'rate-limit',
	'rate-limit-now',
	'grader',
	'error-in-stream',
	'event-error',
	'drop',
	'hang',
	'not-json',
	'no-cors',
	'tools-index-1',
	'tool-index-huge',
	'empty-200',
	'html-200',
	'flood',
	'tools-gemini'
];

/** What Gemini's OpenAI-compatible endpoint adds to a tool call, and wants back next turn. */
export const GEMINI_EXTRA = { google: { thought_signature: 'c2lnbmF0dXJl' } };

/** A sign-in page a proxy answers with, status 200, instead of the API. */
export const LOGIN_PAGE =
	'<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1><form><input name="user"></form></body></html>';

/** The call the `tools-index-1` and `tool-index-huge` models make, whatever tools were sent. */
const WEATHER_CALL: ToolCall = {
	id: 'call_w',
	type: 'function',
	function: { name: 'get_weather', arguments: '{"city":"Paris"}' }
};

/** The response being written, and a delay that ends early when the client goes away. */
export interface Reply {
	res: ServerResponse;
	wait(ms: number): Promise<void>;
}

/** How a gateway spells its event stream. */
interface Dialect {
	/** Milliseconds between events. */
	delay?: number;
	eol?: string;
	prefix?: string;
	/** false: no `data: [DONE]` at the end. */
	done?: boolean;
	/** `: keep-alive` comments and empty events between the data. */
	comments?: boolean;
	/** Cut every multi-byte character across two TCP writes. */
	splitUtf8?: boolean;
}

const DEFAULT_DELAY = 5;

export const HTML_502 =
	'<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><script>alert(1)</script><hr><center>nginx</center></body></html>';

function json(res: ServerResponse, status: number, value: unknown, headers = {}): void {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(value));
}

function error(res: ServerResponse, status: number, body: ErrorBody, headers = {}): void {
	json(res, status, body, headers);
}

function startStream(res: ServerResponse): void {
	res.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache'
	});
}

/** Writes `bytes`, cut right after the first byte of every multi-byte character. */
async function writeSplit(r: Reply, bytes: Buffer): Promise<void> {
	let from = 0;
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i] ?? 0;
		if (b < 0xc0) continue;
		r.res.write(bytes.subarray(from, i + 1));
		from = i + 1;
		// A pause so the two halves leave in separate TCP segments.
		await r.wait(1);
	}
	r.res.write(bytes.subarray(from));
}

async function sse(r: Reply, events: ChatChunk[], d: Dialect = {}): Promise<void> {
	const eol = d.eol ?? '\n';
	const prefix = d.prefix ?? 'data: ';
	const frame = (data: string) =>
		`${d.comments ? `: keep-alive${eol}${eol}` : ''}${prefix}${data}${eol}${eol}${d.comments ? eol : ''}`;
	startStream(r.res);
	const lines = events.map((e) => frame(JSON.stringify(e)));
	if (d.done !== false) lines.push(frame('[DONE]'));
	for (const line of lines) {
		if (r.res.destroyed) return;
		if (d.splitUtf8) await writeSplit(r, Buffer.from(line));
		else r.res.write(line);
		await r.wait(d.delay ?? DEFAULT_DELAY);
	}
	r.res.end();
}

/** A non-streamed answer with the same text a stream would carry. */
function completion(r: Reply, model: string, body: LooseRequest, s: StreamText): void {
	const thinking = s.thinking;
	const texts = choiceTexts(body, s.text);
	const response: ChatResponse = {
		id: 'chatcmpl-test',
		object: 'chat.completion',
		created: 1_700_000_000,
		model,
		choices: texts.map((content, index) => ({
			index,
			message: {
				role: 'assistant',
				content,
				...(thinking ? { [thinking.field]: thinking.text } : {})
			},
			finish_reason: 'stop'
		})),
		usage: usageFor(body, texts.join(' '))
	};
	json(r.res, 200, response);
}

/** Streams or not, as the request asked. */
function answerText(
	r: Reply,
	model: string,
	body: LooseRequest,
	s: StreamText,
	d: Dialect = {}
): Promise<void> {
	if (!body.stream) return Promise.resolve(completion(r, model, body, s));
	return sse(r, textEvents(model, body, s), d);
}

function tools(r: Reply, model: string, body: LooseRequest): Promise<void> {
	const last = body.messages?.at(-1);
	if (last?.role === 'tool')
		return answerText(r, model, body, { text: `Tool said: ${textOf(last.content)}` });
	const calls = toolCallsFor(body);
	if (calls.length === 0) return answerText(r, model, body, { text: 'No tools given.' });
	if (body.stream) return sse(r, toolCallEvents(model, calls));
	const response: ChatResponse = {
		id: 'chatcmpl-test',
		object: 'chat.completion',
		created: 1_700_000_000,
		model,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: null, tool_calls: calls },
				finish_reason: 'tool_calls'
			}
		],
		usage: usageFor(body, calls.map((c) => c.function.arguments).join(' '))
	};
	return Promise.resolve(json(r.res, 200, response));
}

/** `markdown:<base64url>` (8-character chunks) or `chunked:<n>:<base64url>`. */
function verbatim(r: Reply, model: string, body: LooseRequest): Promise<void> {
	const [kind, a, b] = model.split(':');
	const size = kind === 'chunked' ? Number(a) || 8 : 8;
	const text = Buffer.from((kind === 'chunked' ? b : a) ?? '', 'base64url').toString('utf8');
	if (!body.stream) return Promise.resolve(completion(r, model, body, { text }));
	const pieces = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
	return sse(
		r,
		pieces.map((p) => chunk(model, [{ index: 0, delta: { content: p }, finish_reason: null }])),
		{ delay: 1 }
	);
}

/** A few content chunks, then the failure; every stream failure starts with this. */
function partial(model: string, body: LooseRequest, text: string): string[] {
	return textEvents(model, { ...body, n: 1 }, { text, finish: false }).map(
		(e) => `data: ${JSON.stringify(e)}\n\n`
	);
}

/** Text first, then tool calls numbered from `firstIndex` (1: Anthropic; 10⁸: a broken server). */
function textThenCalls(r: Reply, model: string, body: LooseRequest, firstIndex: number) {
	const text = textEvents(model, { ...body, n: 1 }, { text: 'Let me check.', finish: false });
	return sse(r, [...text, ...toolCallEvents(model, [WEATHER_CALL], firstIndex).slice(1)]);
}

/** A tool call carrying a provider field; once the result comes back, text. */
function gemini(r: Reply, model: string, body: LooseRequest): Promise<void> {
	const last = body.messages?.at(-1);
	if (last?.role === 'tool')
		return answerText(r, model, body, { text: `Tool said: ${textOf(last.content)}` });
	const events = toolCallEvents(model, [WEATHER_CALL]);
	const opening = events[1]?.choices?.[0]?.delta?.tool_calls?.[0];
	if (opening) opening.extra_content = GEMINI_EXTRA;
	return sse(r, events);
}

/**
 * Streams text as fast as the socket takes it, forever: until the client goes away. A word per
 * event, as models send, and a paragraph now and then.
 */
async function flood(r: Reply, model: string): Promise<void> {
	const { res } = r;
	startStream(res);
	const event = (content: string) =>
		`data: ${JSON.stringify(chunk(model, [{ index: 0, delta: { content }, finish_reason: null }]))}\n\n`;
	const batch = `${event('flood ').repeat(63)}${event('flood\n\n')}`;
	while (!res.destroyed) {
		if (res.write(batch)) {
			// Let the gateway's other work (and the client's close) in between writes.
			await new Promise((resolve) => setImmediate(resolve));
			continue;
		}
		await new Promise<void>((resolve) => {
			const done = () => {
				res.off('drain', done);
				res.off('close', done);
				resolve();
			};
			res.once('drain', done);
			res.once('close', done);
		});
	}
}

/** Failures that do not depend on `stream`; true when `model` was one. */
export async function failure(r: Reply, model: string, body: LooseRequest): Promise<boolean> {
	const { res } = r;
	switch (model) {
		case 'error-500-text':
			res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
			return true;
		case 'error-502-html':
			res.writeHead(502, { 'content-type': 'text/html' }).end(HTML_502);
			return true;
		case 'error-401-json':
			error(res, 401, {
				error: {
					message: 'Invalid API key',
					type: 'invalid_request_error',
					code: 'invalid_api_key'
				}
			});
			return true;
		case 'error-400-code':
			error(res, 400, { error: { code: 400, message: 'model not found' } });
			return true;
		// `rate-limit-now` asks to retry at once: an experiment's retries run without waiting.
		case 'rate-limit':
		case 'rate-limit-now':
			error(
				res,
				429,
				{
					error: {
						message: 'Rate limit reached for requests',
						type: 'requests',
						code: 'rate_limit_exceeded'
					}
				},
				{ 'retry-after': model === 'rate-limit' ? '7' : '0' }
			);
			return true;
		case 'not-json':
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
			return true;
		case 'error-in-stream':
			startStream(res);
			for (const line of partial(model, body, 'Partial answer before the error')) res.write(line);
			res.end('data: {"error":{"message":"overloaded","type":"server_error"}}\n\n');
			return true;
		case 'event-error':
			startStream(res);
			for (const line of partial(model, body, 'Partial answer before the error')) res.write(line);
			res.end('event: error\ndata: {"message":"boom"}\n\n');
			return true;
		case 'drop':
			startStream(res);
			for (const line of partial(model, body, 'Partial answer before the drop')) res.write(line);
			// Let the text reach the client before the connection breaks.
			await r.wait(50);
			res.socket?.destroy();
			return true;
		case 'empty-200':
			res.writeHead(200, { 'content-type': 'application/json' }).end();
			return true;
		case 'html-200':
			res.writeHead(200, { 'content-type': 'text/html' }).end(LOGIN_PAGE);
			return true;
		case 'flood':
			await flood(r, model);
			return true;
		case 'hang':
			startStream(res);
			res.write(
				`data: ${JSON.stringify(chunk(model, [{ index: 0, delta: { role: 'assistant', content: 'Started, then nothing' }, finish_reason: null }]))}\n\n`
			);
			// No timer: the response just stays open until the client (or close()) ends it.
			await new Promise((resolve) => res.once('close', resolve));
			return true;
	}
	return false;
}

export async function answer(r: Reply, body: LooseRequest): Promise<void> {
	const model = body.model ?? 'echo';
	if (model.startsWith('markdown:') || model.startsWith('chunked:'))
		return verbatim(r, model, body);
	if (model.startsWith('slow-headers:')) await r.wait(Number(model.split(':')[1]) || 1000);
	if (await failure(r, model, body)) return;
	const echo = `You said: ${lastUserText(body)}`;
	switch (model) {
		case 'slow': {
			const more = 'This answer arrives slowly, word by word, like a busy model. '.repeat(2);
			return answerText(r, model, body, { text: `${echo}. ${more}` }, { delay: 80 });
		}
		case 'fast':
			return answerText(r, model, body, { text: `${echo}. ${'fast '.repeat(200)}` }, { delay: 0 });
		case 'reasoning':
		case 'reasoning-alt': {
			const field = model === 'reasoning' ? 'reasoning_content' : 'reasoning';
			const thinking = { field, text: 'Let me think about this step by step.' } as const;
			return answerText(r, model, body, { text: echo, thinking });
		}
		case 'tools':
			return tools(r, model, body);
		case 'tools-gemini':
			return gemini(r, model, body);
		case 'tools-index-1':
			return textThenCalls(r, model, body, 1);
		case 'tool-index-huge':
			return textThenCalls(r, model, body, 100_000_000);
		case 'json':
			return answerText(r, model, body, { text: '{"answer": 42}' });
		// A judge for experiments: passes an answer that names Paris, fails any other.
		case 'grader': {
			const pass = /Paris/.test(lastUserText(body).split('Answer:').at(-1) ?? '');
			return answerText(r, model, body, {
				text: pass ? 'PASS\nIt names Paris.' : 'FAIL\nWrong city.'
			});
		}
		case 'crlf':
			return answerText(r, model, body, { text: echo }, { eol: '\r\n' });
		case 'nospace':
			return answerText(r, model, body, { text: echo }, { prefix: 'data:' });
		case 'comments':
			return answerText(r, model, body, { text: echo }, { comments: true });
		case 'utf8-split':
			return answerText(r, model, body, { text: `${echo} — 你好，世界 🎉` }, { splitUtf8: true });
		case 'no-done':
			return answerText(r, model, body, { text: echo, finish: false }, { done: false });
		case 'usage-last':
			return answerText(r, model, body, { text: echo, usage: true });
		default:
			return answerText(r, model, body, { text: echo });
	}
}
