import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchModels } from '../../../src/lib/wire/models.ts';
import { endpoint } from './helpers.ts';

describe('fetchModels on a hostile or absent server', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('does not follow a redirect with the key, and says so', async () => {
		let init: RequestInit | undefined;
		const result = await fetchModels(endpoint({ apiKey: 'sk-secret' }), {
			fetch: async (_url, i) => {
				init = i;
				return new Response(null, { status: 302, headers: { location: 'https://evil.example/' } });
			}
		});
		expect(init?.redirect).toBe('manual');
		expect(result).toMatchObject({
			ok: false,
			error: {
				kind: 'redirect',
				message: { key: 'error.redirect', vars: { location: 'https://evil.example/' } }
			}
		});
	});

	it('a closed port is "could not reach", not CORS, as for Send', async () => {
		vi.stubGlobal('window', {});
		const result = await fetchModels(endpoint({ baseUrl: 'http://127.0.0.1:9/v1' }), {
			fetch: async () => {
				throw new TypeError('Failed to fetch');
			},
			pageOrigin: 'http://127.0.0.1:5173'
		});
		expect(result).toMatchObject({
			ok: false,
			error: { kind: 'network', message: { key: 'error.network' } }
		});
	});
});
