/** The 300-model catalog under /catalog-300: listed like a big gateway's, chat echoes. */
import { describe, expect, it } from 'vitest';
import type { ModelList } from '../../../src/lib/wire/types.ts';
import { catalog, CATALOG_300, MODELS } from '../../gateway/server.ts';
import { chat, chunksOf, joined, streamed, useGateway } from './helpers.ts';

const gateway = useGateway();

describe('catalog-300', () => {
	it('lists 300 distinct ids across families under the prefix only', async () => {
		const res = await fetch(`${gateway().url}/catalog-300/v1/models`);
		expect(res.headers.get('access-control-allow-origin')).toBe('*');
		const ids = ((await res.json()) as ModelList).data.map((m) => m.id);
		expect(ids).toEqual([...CATALOG_300]);
		expect(new Set(ids).size).toBe(300);
		expect(ids).toEqual(
			expect.arrayContaining([
				'gpt-4o',
				'claude-3-5-sonnet',
				'deepseek-chat',
				'qwen2.5-72b-instruct',
				'gemini-1.5-pro',
				'meta-llama/llama-3.1-70b-instruct',
				'openai/gpt-4o'
			])
		);
		// No catalog id picks a scripted behaviour.
		expect(
			ids.filter((id) => MODELS.includes(id) || /^(markdown|chunked|slow-headers):/.test(id))
		).toEqual([]);
		const plain = ((await (await fetch(`${gateway().url}/v1/models`)).json()) as ModelList).data;
		expect(plain.map((m) => m.id)).toEqual(MODELS);
	});

	it('echoes chat under the prefix, streamed or not, and records the model', async () => {
		gateway().clear();
		const { chunks } = await streamed(gateway(), { model: 'qwen2.5-72b-instruct' });
		expect(joined(chunks)).toBe('You said: hello world');
		const res = await chat(
			gateway(),
			{ model: 'openai/gpt-4o', stream: false },
			{ path: '/catalog-300/v1/chat/completions' }
		);
		expect(res.status).toBe(200);
		const [first, second] = gateway().chatRequests();
		expect(first?.path).toBe('/v1/chat/completions');
		expect(second?.path).toBe('/catalog-300/v1/chat/completions');
		expect((second?.body as { model?: string }).model).toBe('openai/gpt-4o');
	});

	it('answers a streamed chat on the prefix', async () => {
		const res = await fetch(`${gateway().url}/catalog-300/v1/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'claude-3-5-sonnet',
				stream: true,
				messages: [{ role: 'user', content: 'hi' }]
			})
		});
		expect(res.headers.get('content-type')).toContain('text/event-stream');
		expect(joined(chunksOf(await res.text()))).toBe('You said: hi');
	});

	it('lists any size under /catalog-<n>: the 300 first, then fine-tunes, all distinct', async () => {
		const ids = async (n: number) =>
			(
				(await (await fetch(`${gateway().url}/catalog-${n}/v1/models`)).json()) as ModelList
			).data.map((m) => m.id);
		expect(await ids(5)).toEqual(CATALOG_300.slice(0, 5));
		const big = await ids(200_000);
		expect(big).toEqual(catalog(200_000));
		expect(new Set(big).size).toBe(200_000);
		expect(big.slice(0, 300)).toEqual([...CATALOG_300]);
		expect(big).toContain('openai/gpt-4o:ft-0');
		const res = await chat(
			gateway(),
			{ model: 'openai/gpt-4o:ft-0', stream: false },
			{ path: '/catalog-200000/v1/chat/completions' }
		);
		expect(res.status).toBe(200);
	});
});
