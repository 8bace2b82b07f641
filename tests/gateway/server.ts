/**
 * A small scriptable OpenAI-compatible gateway for the end-to-end tests (and `npm run gateway`).
 * The model name picks the behaviour, so columns hitting different models at once each get
 * their own: normal streams, gateway dialects, and every failure we promise to handle.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	body: unknown;
	rawBody: string;
	at: number;
}

export type Scenario = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface Gateway {
	url: string;
	requests: RecordedRequest[];
	chatRequests(): RecordedRequest[];
	clear(): void;
	close(): Promise<void>;
	/** Take over the next chat request. */
	script(fn: Scenario): void;
}

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
	'error-in-stream',
	'event-error',
	'drop',
	'hang',
	'not-json',
	'no-cors'
];

interface ChatBody {
	model?: string;
	messages?: Array<{ role: string; content: unknown; tool_call_id?: string }>;
	stream?: boolean;
	n?: number;
	stream_options?: { include_usage?: boolean };
	tools?: Array<{ function: { name: string } }>;
	parallel_tool_calls?: boolean;
}

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((p: { type?: string; text?: string }) =>
				p.type === 'text' ? (p.text ?? '') : '[image]'
			)
			.join(' ');
	return '';
}

function lastUser(body: ChatBody): string {
	const m = [...(body.messages ?? [])].reverse().find((x) => x.role === 'user');
	return m ? textOf(m.content) : '';
}

function words(text: string): string[] {
	return text.match(/\s*\S+\s*/g) ?? [text];
}

function chunk(model: string, choices: unknown[], extra: Record<string, unknown> = {}) {
	return {
		id: 'chatcmpl-test',
		object: 'chat.completion.chunk',
		created: 1_700_000_000,
		model,
		choices,
		...extra
	};
}

function usageFor(body: ChatBody, completion: string) {
	const prompt = (body.messages ?? []).map((m) => textOf(m.content)).join(' ');
	const p = words(prompt).length;
	const c = words(completion).length;
	return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}

export async function startGateway(opts: { port?: number; host?: string } = {}): Promise<Gateway> {
	const requests: RecordedRequest[] = [];
	const scripts: Scenario[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<ReturnType<typeof setTimeout>>();
	let closed = false;

	async function wait(ms: number, res: ServerResponse) {
		if (ms <= 0) return;
		await new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(t);
				timers.delete(t);
				res.off('close', done);
				resolve();
			};
			const t = setTimeout(done, ms);
			timers.add(t);
			res.once('close', done);
		});
	}

	function cors(res: ServerResponse, req: IncomingMessage) {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
		res.setHeader(
			'Access-Control-Allow-Headers',
			req.headers['access-control-request-headers'] ?? '*'
		);
		res.setHeader('Access-Control-Expose-Headers', '*');
		res.setHeader('Access-Control-Max-Age', '0');
	}

	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		let body: unknown;
		try {
			body = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			body = undefined;
		}
		const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path,
			headers,
			body,
			rawBody,
			at: Date.now()
		};
		requests.push(record);
		const chat = body as ChatBody | undefined;
		const model = chat?.model ?? '';
		// A CORS refusal: the preflight for no-cors requests cannot be told apart by body, so the
		// no-cors model is also reachable under its own path prefix.
		const refuseCors = model === 'no-cors' || path.startsWith('/no-cors/');
		if (!refuseCors) cors(res, req);
		if (req.method === 'OPTIONS') {
			res.writeHead(refuseCors ? 403 : 204).end();
			return;
		}
		const route = path.replace(/^\/no-cors/, '');
		if (req.method === 'GET' && route === '/v1/models') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					object: 'list',
					data: MODELS.map((id) => ({ id, object: 'model', owned_by: 'test' }))
				})
			);
			return;
		}
		if (
			req.method !== 'POST' ||
			(route !== '/v1/chat/completions' && route !== '/chat/completions')
		) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({ error: { message: `No route ${req.method} ${path}`, type: 'not_found' } })
			);
			return;
		}
		const scripted = scripts.shift();
		try {
			if (scripted) await scripted(record, res);
			else await answer(chat ?? {}, res);
		} catch {
			res.destroy();
		}
	});

	async function sse(
		res: ServerResponse,
		events: unknown[],
		o: { delay?: number; eol?: string; prefix?: string; done?: boolean } = {}
	) {
		const eol = o.eol ?? '\n';
		const prefix = o.prefix ?? 'data: ';
		res.writeHead(200, {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache'
		});
		for (const e of events) {
			if (res.destroyed) return;
			res.write(`${prefix}${typeof e === 'string' ? e : JSON.stringify(e)}${eol}${eol}`);
			await wait(o.delay ?? 5, res);
		}
		if (o.done !== false) res.write(`${prefix}[DONE]${eol}${eol}`);
		res.end();
	}

	function textEvents(model: string, body: ChatBody, text: string, field = 'content') {
		const n = Math.max(1, Math.min(body.n ?? 1, 8));
		const events: unknown[] = [];
		const all: string[] = [];
		for (let i = 0; i < n; i++) {
			const t = n > 1 ? `Choice ${i}: ${text}` : text;
			all.push(t);
			events.push(
				chunk(model, [{ index: i, delta: { role: 'assistant', content: '' }, finish_reason: null }])
			);
			for (const w of words(t))
				events.push(chunk(model, [{ index: i, delta: { [field]: w }, finish_reason: null }]));
			events.push(chunk(model, [{ index: i, delta: {}, finish_reason: 'stop' }]));
		}
		if (body.stream_options?.include_usage)
			events.push(chunk(model, [], { usage: usageFor(body, all.join(' ')) }));
		return events;
	}

	function json(
		res: ServerResponse,
		status: number,
		value: unknown,
		headers: Record<string, string> = {}
	) {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(value));
	}

	async function answer(body: ChatBody, res: ServerResponse) {
		const model = body.model ?? 'echo';
		const said = lastUser(body);
		const echo = `You said: ${said}`;
		if (model.startsWith('markdown:') || model.startsWith('chunked:')) {
			const [, size, payload] = model.startsWith('chunked:')
				? model.split(':')
				: ['', '8', model.slice(9)];
			const text = Buffer.from(payload ?? '', 'base64url').toString('utf8');
			const pieces = text.match(new RegExp(`[\\s\\S]{1,${Number(size) || 8}}`, 'g')) ?? [];
			return sse(
				res,
				pieces.map((p) => chunk(model, [{ index: 0, delta: { content: p }, finish_reason: null }])),
				{ delay: 1 }
			);
		}
		if (model.startsWith('slow-headers:')) {
			await wait(Number(model.split(':')[1]) || 1000, res);
			return sse(res, textEvents(model, body, echo));
		}
		switch (model) {
			case 'error-500-text':
				res.writeHead(500, { 'content-type': 'text/plain' });
				return void res.end('upstream exploded');
			case 'error-502-html':
				res.writeHead(502, { 'content-type': 'text/html' });
				return void res.end(
					'<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><script>alert(1)</script><hr><center>nginx</center></body></html>'
				);
			case 'error-401-json':
				return json(res, 401, {
					error: {
						message: 'Invalid API key',
						type: 'invalid_request_error',
						code: 'invalid_api_key'
					}
				});
			case 'error-400-code':
				return json(res, 400, { error: { code: 400, message: 'model not found' } });
			case 'rate-limit':
				return json(
					res,
					429,
					{ error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' } },
					{ 'retry-after': '7' }
				);
			case 'not-json':
				res.writeHead(200, { 'content-type': 'application/json' });
				return void res.end('{"choices": [');
			case 'no-cors':
				return sse(res, textEvents(model, body, echo));
		}
		if (!body.stream) {
			const n = Math.max(1, Math.min(body.n ?? 1, 8));
			const text = model === 'json' ? '{"answer": 42}' : echo;
			return json(res, 200, {
				id: 'chatcmpl-test',
				object: 'chat.completion',
				created: 1_700_000_000,
				model,
				choices: Array.from({ length: n }, (_, i) => ({
					index: i,
					message: {
						role: 'assistant',
						content: n > 1 ? `Choice ${i}: ${text}` : text,
						...(model === 'reasoning' ? { reasoning_content: 'Thinking it over.' } : {})
					},
					finish_reason: 'stop'
				})),
				usage: usageFor(body, text)
			});
		}
		switch (model) {
			case 'slow':
				return sse(
					res,
					textEvents(
						model,
						body,
						`${echo}. ${'This answer arrives slowly, word by word, like a busy model. '.repeat(3)}`
					),
					{ delay: 80 }
				);
			case 'fast':
				return sse(res, textEvents(model, body, `${echo}. ${'fast '.repeat(200)}`), { delay: 0 });
			case 'reasoning':
			case 'reasoning-alt': {
				const field = model === 'reasoning' ? 'reasoning_content' : 'reasoning';
				const thinking = textEvents(
					model,
					{ ...body, stream_options: {} },
					'Let me think about this step by step.',
					field
				).slice(1, -1);
				return sse(res, [...thinking, ...textEvents(model, body, echo)]);
			}
			case 'json':
				return sse(res, textEvents(model, body, '{"answer": 42}'));
			case 'tools':
				return tools(body, res);
			case 'crlf':
				return sse(res, textEvents(model, body, echo), { eol: '\r\n' });
			case 'nospace':
				return sse(res, textEvents(model, body, echo), { prefix: 'data:' });
			case 'comments': {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				res.write(': keep-alive\n\n');
				for (const e of textEvents(model, body, echo)) {
					res.write(`: ping\n\ndata: ${JSON.stringify(e)}\n\n\n`);
					await wait(3, res);
				}
				return void res.end('data: [DONE]\n\n');
			}
			case 'utf8-split': {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				const bytes = Buffer.from(
					textEvents(model, body, `${echo} — 你好，世界 🎉`)
						.map((e) => `data: ${JSON.stringify(e)}\n\n`)
						.join('') + 'data: [DONE]\n\n'
				);
				for (let i = 0; i < bytes.length; i += 3) {
					res.write(bytes.subarray(i, i + 3));
					if (i % 60 === 0) await wait(1, res);
				}
				return void res.end();
			}
			case 'no-done':
				return sse(
					res,
					textEvents(model, body, echo).filter((e) => !JSON.stringify(e).includes('"stop"')),
					{ done: false }
				);
			case 'usage-last':
				return sse(
					res,
					textEvents(model, { ...body, stream_options: { include_usage: true } }, echo)
				);
			case 'error-in-stream':
				return sse(
					res,
					[
						...textEvents(model, body, 'Partial answer before').slice(0, 4),
						{ error: { message: 'overloaded', type: 'server_error' } }
					],
					{ done: false }
				);
			case 'event-error': {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				for (const e of textEvents(model, body, 'Partial answer before').slice(0, 4))
					res.write(`data: ${JSON.stringify(e)}\n\n`);
				return void res.end('event: error\ndata: {"message":"boom"}\n\n');
			}
			case 'drop': {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				for (const e of textEvents(model, body, 'Partial answer before the drop').slice(0, 5))
					res.write(`data: ${JSON.stringify(e)}\n\n`);
				await wait(50, res);
				return void res.socket?.destroy();
			}
			case 'hang': {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				res.write(
					`data: ${JSON.stringify(chunk(model, [{ index: 0, delta: { content: 'Started, then nothing' }, finish_reason: null }]))}\n\n`
				);
				await wait(120_000, res);
				return void res.end();
			}
			default:
				return sse(res, textEvents(model, body, echo));
		}
	}

	async function tools(body: ChatBody, res: ServerResponse) {
		const last = body.messages?.at(-1);
		if (last?.role === 'tool')
			return sse(res, textEvents('tools', body, `Tool said: ${textOf(last.content)}`));
		const names = (body.tools ?? []).map((t) => t.function.name);
		if (names.length === 0) return sse(res, textEvents('tools', body, 'No tools given.'));
		const calls =
			body.parallel_tool_calls === false
				? names.slice(0, 1)
				: names.slice(0, 2).concat(names.length === 1 ? [names[0] ?? ''] : []);
		const events: unknown[] = [
			chunk('tools', [
				{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }
			])
		];
		calls.forEach((name, i) => {
			const args = JSON.stringify({ city: i === 0 ? 'Paris' : 'Tokyo', unit: 'celsius' });
			events.push(
				chunk('tools', [
					{
						index: 0,
						delta: {
							tool_calls: [
								{ index: i, id: `call_${i}`, type: 'function', function: { name, arguments: '' } }
							]
						},
						finish_reason: null
					}
				])
			);
			for (const piece of args.match(/.{1,7}/g) ?? [])
				events.push(
					chunk('tools', [
						{
							index: 0,
							delta: { tool_calls: [{ index: i, function: { arguments: piece } }] },
							finish_reason: null
						}
					])
				);
		});
		events.push(chunk('tools', [{ index: 0, delta: {}, finish_reason: 'tool_calls' }]));
		return sse(res, events);
	}

	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) =>
		server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve)
	);
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		chatRequests: () =>
			requests.filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions')),
		clear: () => void requests.splice(0),
		script: (fn) => void scripts.push(fn),
		close: async () => {
			if (closed) return;
			closed = true;
			for (const t of timers) clearTimeout(t);
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
