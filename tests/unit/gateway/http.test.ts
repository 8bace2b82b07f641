/** Routes, CORS, recording, scripting and shutdown of the gateway. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ModelList } from '../../../src/lib/wire/types.ts';
import { startGateway } from '../../gateway/server.ts';
import { chat, joined, streamed, useGateway } from './helpers.ts';

const gateway = useGateway();
const run = promisify(execFile);

const preflight = (url: string) =>
	fetch(url, {
		method: 'OPTIONS',
		headers: {
			origin: 'http://127.0.0.1:1',
			'access-control-request-method': 'POST',
			'access-control-request-headers': 'authorization,content-type,x-trace-id'
		}
	});

describe('routes', () => {
	it('lists the models', async () => {
		const list = (await (await fetch(`${gateway().url}/v1/models`)).json()) as ModelList;
		expect(list.object).toBe('list');
		const ids = list.data.map((m) => m.id);
		expect(ids).toEqual(expect.arrayContaining(['echo', 'slow', 'tools', 'rate-limit', 'hang']));
	});

	it('answers chat on /v1/chat/completions and /chat/completions only', async () => {
		for (const path of ['/v1/chat/completions', '/chat/completions']) {
			const res = await chat(gateway(), { stream: false }, { path });
			expect(res.status).toBe(200);
		}
		for (const path of ['/v1/v1/chat/completions', '/v1/completions']) {
			const res = await chat(gateway(), { stream: false }, { path });
			expect(res.status).toBe(404);
			await res.body?.cancel();
		}
	});
});

describe('CORS', () => {
	it('answers a preflight with the requested headers allowed', async () => {
		const res = await preflight(`${gateway().url}/v1/chat/completions`);
		expect(res.status).toBe(204);
		expect(res.headers.get('access-control-allow-origin')).toBe('*');
		expect(res.headers.get('access-control-allow-headers')).toBe(
			'authorization,content-type,x-trace-id'
		);
		expect(res.headers.get('access-control-allow-methods')).toContain('POST');
	});

	it('sends Access-Control-Allow-Origin on answers', async () => {
		const res = await chat(gateway(), { stream: false });
		expect(res.headers.get('access-control-allow-origin')).toBe('*');
	});

	it('no-cors (model or /no-cors/ path): no CORS header, preflight refused', async () => {
		const byModel = await chat(gateway(), { model: 'no-cors', stream: false });
		expect(byModel.status).toBe(200);
		expect(byModel.headers.get('access-control-allow-origin')).toBeNull();
		const byPath = await chat(
			gateway(),
			{ stream: false },
			{ path: '/no-cors/v1/chat/completions' }
		);
		expect(byPath.headers.get('access-control-allow-origin')).toBeNull();
		const pre = await preflight(`${gateway().url}/no-cors/v1/chat/completions`);
		expect(pre.status).toBe(403);
		expect(pre.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('a gateway started with cors: false refuses everywhere', async () => {
		const g = await startGateway({ cors: false });
		try {
			const pre = await preflight(`${g.url}/v1/chat/completions`);
			expect(pre.status).toBe(403);
			const res = await chat(g, { stream: false });
			expect(res.headers.get('access-control-allow-origin')).toBeNull();
		} finally {
			await g.close();
		}
	});
});

describe('recording', () => {
	it('records every request, preflights included, with lower-cased headers and the body', async () => {
		const g = gateway();
		g.clear();
		await preflight(`${g.url}/v1/chat/completions`);
		await (
			await chat(g, { model: 'echo', stream: false, seed: 7 }, { headers: { 'X-Trace-ID': 'abc' } })
		).text();
		expect(g.requests.map((r) => r.method)).toEqual(['OPTIONS', 'POST']);
		const [post] = g.chatRequests();
		expect(g.chatRequests()).toHaveLength(1);
		expect(post?.path).toBe('/v1/chat/completions');
		expect(post?.headers['x-trace-id']).toBe('abc');
		expect(post?.headers['content-type']).toBe('application/json');
		expect(post?.body).toMatchObject({ model: 'echo', seed: 7 });
		expect(JSON.parse(post?.rawBody ?? '')).toEqual(post?.body);
		g.clear();
		expect(g.requests).toEqual([]);
	});

	it('keeps a body that is not JSON raw', async () => {
		const g = gateway();
		g.clear();
		const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', body: '{oops' });
		await res.text();
		expect(g.requests[0]?.rawBody).toBe('{oops');
		expect(g.requests[0]?.body).toBeUndefined();
	});
});

describe('script', () => {
	it('takes over the next chat request only', async () => {
		const g = gateway();
		g.script((req, res) => {
			res.writeHead(418, { 'content-type': 'text/plain' });
			res.end(`scripted ${req.path}`);
		});
		const first = await chat(g, { stream: false });
		expect(first.status).toBe(418);
		expect(await first.text()).toBe('scripted /v1/chat/completions');
		const { chunks } = await streamed(g, { model: 'echo' });
		expect(joined(chunks)).toBe('You said: hello world');
	});

	it('survives a scenario that throws', async () => {
		const g = gateway();
		g.script(() => {
			throw new Error('broken scenario');
		});
		await expect(chat(g, { stream: false })).rejects.toThrow();
		expect((await chat(g, { stream: false })).status).toBe(200);
	});
});

describe('close', () => {
	// Run in its own process: the proof that nothing is left is that the process exits by itself.
	const program = `
		import { startGateway } from ${JSON.stringify(fileURLToPath(new URL('../../gateway/server.ts', import.meta.url)))};
		const g = await startGateway();
		const post = (model) => fetch(g.url + '/v1/chat/completions', {
			method: 'POST', body: JSON.stringify({ model, stream: true, messages: [] })
		});
		const streams = await Promise.all([post('hang'), post('slow')]);
		const ends = [...streams.map((r) => r.text()), post('slow-headers:60000')].map((p) =>
			p.then(() => 'ended', () => 'broken'));
		await new Promise((r) => setTimeout(r, 100));
		await g.close();
		await g.close();
		console.log(JSON.stringify(await Promise.all(ends)));
	`;

	it('breaks hanging, slow and waiting answers, and leaves nothing that keeps the process alive', async () => {
		const started = Date.now();
		const { stdout } = await run(
			process.execPath,
			['--import', 'tsx', '--input-type=module', '-e', program],
			{ timeout: 15_000 }
		);
		expect(JSON.parse(stdout)).toEqual(['broken', 'broken', 'broken']);
		// The hang and slow-headers answers alone would hold it open for a minute.
		expect(Date.now() - started).toBeLessThan(15_000);
	}, 20_000);
});
