/** `GET {base}/models`: suggestions for the Model field. */
import { buildHeaders, resolveModelsUrl } from './endpoint.ts';
import { httpError, isRedirect, networkError, parseError, redirectError } from './errors.ts';
import { probe } from './probe.ts';
import type { WireError } from './types.ts';
import type { EndpointConfig } from '../app-types.ts';

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
	try {
		const body: unknown = JSON.parse(text);
		const list = Array.isArray(body) ? body : (body as { data?: unknown }).data;
		if (!Array.isArray(list)) return { ok: false, error: parseError(text) };
		const ids = list
			.map((m: unknown) => (typeof m === 'string' ? m : (m as { id?: unknown })?.id))
			.filter((id): id is string => typeof id === 'string');
		return { ok: true, ids: [...new Set(ids)].sort((a, b) => a.localeCompare(b)) };
	} catch {
		return { ok: false, error: parseError(text) };
	}
}
