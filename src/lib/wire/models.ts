/** `GET {base}/models`: suggestions for the Model field. */
import { buildHeaders, resolveModelsUrl } from './endpoint.ts';
import { httpError, isRedirect, networkError, parseError, redirectError } from './errors.ts';
import { probe } from './probe.ts';
import type { WireError } from './types.ts';
import type { EndpointConfig } from '../app-types.ts';
import { parseModelList } from './model-list.ts';

/** Bodies above this size (some thousands of models) are parsed in a worker. */
const WORKER_FROM = 256 * 1024;

export async function fetchModels(
	endpoint: EndpointConfig,
	opts: { fetch?: typeof fetch; signal?: AbortSignal; pageOrigin?: string } = {}
): Promise<{ ok: true; ids: string[] } | { ok: false; error: WireError }> {
	const url = resolveModelsUrl(endpoint.baseUrl);
	const headers = buildHeaders(endpoint);
	if (!url || !headers.ok)
		return { ok: false, error: { kind: 'invalid', message: { key: 'models.error.url' } } };
	// A GET has no body: leave out Content-Type, which would cost a CORS preflight of its own.
	const rest = Object.fromEntries(
		Object.entries(headers.headers).filter(([k]) => k !== 'Content-Type')
	);
	const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
	let response: Response;
	try {
		// The key must not follow a redirect to wherever it points.
		response = await doFetch(url, { headers: rest, signal: opts.signal, redirect: 'manual' });
	} catch (err) {
		const origin =
			opts.pageOrigin ?? (typeof location === 'undefined' ? undefined : location.origin);
		// As for Send: a closed port is "could not reach", only a server that answers refused CORS.
		return { ok: false, error: networkError(err, url, origin, await probe(url, doFetch)) };
	}
	if (isRedirect(response))
		return {
			ok: false,
			error: redirectError(url, response.status, response.headers.get('location'))
		};
	const text = await response.text().catch(() => '');
	if (!response.ok)
		return {
			ok: false,
			error: httpError(response.status, response.statusText, text, response.headers)
		};
	const ids = text.length >= WORKER_FROM ? await parseInWorker(text) : parseModelList(text);
	return ids ? { ok: true, ids } : { ok: false, error: parseError(text) };
}

/**
 * A gateway listing hundreds of thousands of models sends megabytes: parsing and sorting them in
 * the page would freeze it for seconds. Where no worker can start, the page does it.
 */
function parseInWorker(text: string): Promise<string[] | undefined> {
	if (typeof Worker === 'undefined') return Promise.resolve(parseModelList(text));
	return new Promise((resolve) => {
		const worker = new Worker(new URL('./model-list.worker.ts', import.meta.url), {
			type: 'module'
		});
		const done = (ids: string[] | undefined) => {
			worker.terminate();
			resolve(ids);
		};
		worker.onmessage = (e: MessageEvent<string | null>) =>
			done(e.data === null ? undefined : e.data ? e.data.split('\n') : []);
		worker.onerror = () => done(parseModelList(text));
		worker.postMessage(text);
	});
}
