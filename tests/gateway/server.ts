/**
 * A small scriptable OpenAI-compatible gateway for the end-to-end tests (and `npm run gateway`).
 * It records every request, answers CORS preflights, and lets the model name (see models.ts) or a
 * test's own script pick the answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ModelList } from '../../src/lib/wire/types.ts';
import type { LooseRequest } from './chunks.ts';
import { answer, MODELS, type Reply } from './models.ts';
import { CATALOG_300, catalog, MAX_CATALOG } from './catalog.ts';
import { answerMedia, IMAGE_FILES, imageFor, MEDIA_PATHS, type RecordedPart } from './media.ts';

export { CATALOG_300, catalog, MODELS };
export { imageFor, silentMp3, transcriptFor, type RecordedPart } from './media.ts';

export interface RecordedRequest {
	method: string;
	path: string;
	/** Lower-cased names. */
	headers: Record<string, string>;
	/** The parsed JSON body; undefined when there was none or it was not JSON. */
	body: unknown;
	/** A multipart body's parts (files as name, type and size); undefined for any other body. */
	form?: RecordedPart[];
	rawBody: string;
	at: number;
	/** When the response ended (or the client went away): with `at`, what was in flight. */
	endedAt?: number;
}

/** Takes over a chat request entirely. */
export type Scenario = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface Gateway {
	/** `http://127.0.0.1:PORT`, without `/v1`. */
	url: string;
	requests: RecordedRequest[];
	chatRequests(): RecordedRequest[];
	/** Requests to the images, speech and transcription endpoints. */
	mediaRequests(): RecordedRequest[];
	clear(): void;
	close(): Promise<void>;
	/** Override behaviour for the next chat or media request; several calls queue up. */
	script(fn: Scenario): void;
}

export interface GatewayOptions {
	/** 0 (the default): any free port. */
	port?: number;
	host?: '127.0.0.1';
	/** false: no CORS headers anywhere and every preflight refused. Default true. */
	cors?: boolean;
}

/** Paths under this prefix behave as a host without CORS (a preflight carries no model name). */
const NO_CORS_PREFIX = '/no-cors';
/**
 * Paths under `/catalog-<n>` list `catalog(n)` (a gateway with hundreds, or hundreds of
 * thousands, of models; `/catalog-300` is CATALOG_300); chat is as usual.
 */
const CATALOG = /^\/catalog-(\d+)(?=\/)/;
/**
 * `/redirect/<port>/<path>` answers every request (but a preflight) with a 307 to the same path
 * on another local port: a host that would take the key and the body elsewhere.
 */
const REDIRECT = /^\/redirect\/(\d+)(\/.*)$/;
const CHAT_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);

/** The path without the prefixes that only change how the gateway behaves. */
function routeOf(path: string): string {
	return path.replace(NO_CORS_PREFIX, '').replace(CATALOG, '');
}

/** The ids `/models` lists under `path`: a catalog's, or the scripted MODELS. */
function listedIds(path: string): readonly string[] {
	const size = CATALOG.exec(path.replace(NO_CORS_PREFIX, ''))?.[1];
	if (size === undefined) return MODELS;
	const n = Number(size);
	return n === 300 ? CATALOG_300 : catalog(Math.min(n, MAX_CATALOG));
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
	return {
		'access-control-allow-origin': '*',
		'access-control-allow-methods': 'GET, POST, OPTIONS',
		'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
		'access-control-expose-headers': '*',
		'access-control-max-age': '0'
	};
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(Buffer.from(c as Uint8Array));
	const bytes = Buffer.concat(chunks);
	const rawBody = bytes.toString('utf8');
	const type = req.headers['content-type'] ?? '';
	let body: unknown;
	try {
		body = rawBody ? JSON.parse(rawBody) : undefined;
	} catch {
		body = undefined;
	}
	return {
		method: req.method ?? 'GET',
		path: (req.url ?? '/').split('?')[0] ?? '/',
		headers: Object.fromEntries(
			Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])
		),
		body,
		...(/^multipart\/form-data/i.test(type) ? { form: await formParts(bytes, type) } : {}),
		rawBody,
		at: Date.now()
	};
}

/** A multipart body's parts, parsed as the platform parses them (a broken body: none). */
async function formParts(bytes: Buffer, type: string): Promise<RecordedPart[]> {
	try {
		const form = await new Response(new Uint8Array(bytes), {
			headers: { 'content-type': type }
		}).formData();
		return [...form.entries()].map(([name, v]) =>
			typeof v === 'string'
				? { name, value: v }
				: { name, fileName: v.name, type: v.type, size: v.size }
		);
	} catch {
		return [];
	}
}

function isChat(r: RecordedRequest): boolean {
	return r.method === 'POST' && CHAT_PATHS.has(routeOf(r.path));
}

function isMedia(r: RecordedRequest): boolean {
	return r.method === 'POST' && MEDIA_PATHS.has(routeOf(r.path));
}

/** The model a request names, in its JSON body or its form. */
function modelOf(r: RecordedRequest): string | undefined {
	const part = r.form?.find((p) => p.name === 'model');
	if (part && 'value' in part) return part.value;
	const body = r.body;
	if (typeof body !== 'object' || body === null || !('model' in body)) return undefined;
	return typeof body.model === 'string' ? body.model : undefined;
}

export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
	const requests: RecordedRequest[] = [];
	const scripts: Scenario[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<ReturnType<typeof setTimeout>>();

	/** A delay that ends early (and releases its timer) when the response closes. */
	const replyTo = (res: ServerResponse): Reply => ({
		res,
		wait: (ms) =>
			ms <= 0 || res.destroyed
				? Promise.resolve()
				: new Promise<void>((resolve) => {
						const done = () => {
							clearTimeout(t);
							timers.delete(t);
							res.off('close', done);
							resolve();
						};
						const t = setTimeout(done, ms);
						timers.add(t);
						res.once('close', done);
					})
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const r = await record(req);
		requests.push(r);
		res.once('close', () => (r.endedAt = Date.now()));
		const refuseCors =
			opts.cors === false || r.path.startsWith(`${NO_CORS_PREFIX}/`) || modelOf(r) === 'no-cors';
		const cors = refuseCors ? {} : corsHeaders(req);
		for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
		if (r.method === 'OPTIONS') return void res.writeHead(refuseCors ? 403 : 204).end();
		const redirect = REDIRECT.exec(r.path);
		if (redirect)
			return void res
				.writeHead(307, { location: `http://127.0.0.1:${redirect[1]}${redirect[2]}` })
				.end();
		if (r.method === 'GET' && routeOf(r.path) === '/v1/models') {
			const ids = listedIds(r.path);
			const list: ModelList = {
				object: 'list',
				data: ids.map((id) => ({ id, object: 'model', owned_by: 'switchboard-test' }))
			};
			return void res
				.writeHead(200, { 'content-type': 'application/json' })
				.end(JSON.stringify(list));
		}
		const file = IMAGE_FILES.exec(routeOf(r.path));
		if (r.method === 'GET' && file) {
			const prompt = new URL(req.url ?? '/', 'http://x').searchParams.get('prompt') ?? '';
			return void res
				.writeHead(200, { 'content-type': 'image/png' })
				.end(imageFor(prompt, Number(file[1])));
		}
		if (isMedia(r)) {
			const scripted = scripts.shift();
			if (scripted) return void (await scripted(r, res));
			return answerMedia(replyTo(res), {
				path: routeOf(r.path),
				body: r.body,
				...(r.form ? { form: r.form } : {}),
				origin: `http://127.0.0.1:${port}`
			});
		}
		if (!isChat(r)) {
			res.writeHead(404, { 'content-type': 'application/json' });
			return void res.end(
				JSON.stringify({ error: { message: `No route ${r.method} ${r.path}`, type: 'not_found' } })
			);
		}
		const scripted = scripts.shift();
		if (scripted) await scripted(r, res);
		else await answer(replyTo(res), (r.body ?? {}) as LooseRequest);
	}

	const server = createServer((req, res) => {
		// A broken scenario or a client gone mid-body ends this response, never the gateway.
		handle(req, res).catch(() => res.destroy());
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.once('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) =>
		server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve)
	);
	const { port } = server.address() as AddressInfo;
	let closing: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		chatRequests: () => requests.filter(isChat),
		mediaRequests: () => requests.filter(isMedia),
		clear: () => void requests.splice(0),
		script: (fn) => void scripts.push(fn),
		close: () =>
			(closing ??= new Promise<void>((resolve) => {
				for (const t of timers) clearTimeout(t);
				timers.clear();
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			}))
	};
}
