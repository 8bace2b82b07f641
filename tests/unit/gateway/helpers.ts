/** Talks to a real gateway over HTTP, as the app would, and reads its event streams raw. */
import { afterAll, beforeAll } from 'vitest';
import type { ChatChunk, ChatRequest } from '../../../src/lib/wire/types.ts';
import { asChunk } from '../../../src/lib/wire/accumulate.ts';
import { startGateway, type Gateway, type GatewayOptions } from '../../gateway/server.ts';

/** A gateway for the whole test file; the getter throws before beforeAll ran. */
export function useGateway(opts?: GatewayOptions): () => Gateway {
	let gateway: Gateway | undefined;
	beforeAll(async () => {
		gateway = await startGateway(opts);
	});
	afterAll(() => gateway?.close());
	return () => {
		if (!gateway) throw new Error('gateway not started');
		return gateway;
	};
}

export function chat(
	gateway: Gateway,
	body: Partial<ChatRequest>,
	init: { path?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}
): Promise<Response> {
	return fetch(`${gateway.url}${init.path ?? '/v1/chat/completions'}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...init.headers },
		body: JSON.stringify({ messages: [{ role: 'user', content: 'hello world' }], ...body }),
		signal: init.signal
	});
}

/** The `data:` payloads of an event stream, comments and empty events skipped. */
export function dataOf(raw: string): string[] {
	return raw
		.split(/\r?\n\r?\n/)
		.map((block) =>
			block
				.split(/\r?\n/)
				.filter((line) => line.startsWith('data:'))
				.map((line) => line.slice(5).replace(/^ /, ''))
				.join('\n')
		)
		.filter((data) => data !== '');
}

/** The chunks of a stream, without the final `[DONE]`. */
export function chunksOf(raw: string): ChatChunk[] {
	return dataOf(raw)
		.filter((d) => d !== '[DONE]')
		.map((d) => {
			// What the test gateway sends must be what the app reads.
			const chunk = asChunk(JSON.parse(d));
			if (!chunk) throw new Error(`not a chunk the app reads: ${d}`);
			return chunk;
		});
}

/** The text a choice's deltas add up to in one delta field. */
export function joined(
	chunks: ChatChunk[],
	field: 'content' | 'reasoning_content' | 'reasoning' = 'content',
	index = 0
): string {
	return chunks
		.flatMap((c) => c.choices ?? [])
		.filter((c) => (c.index ?? 0) === index)
		.map((c) => c.delta?.[field] ?? '')
		.join('');
}

/** A streamed answer, read whole. */
export async function streamed(
	gateway: Gateway,
	body: Partial<ChatRequest>
): Promise<{ res: Response; raw: string; chunks: ChatChunk[] }> {
	const res = await chat(gateway, { stream: true, ...body });
	const raw = await res.text();
	return { res, raw, chunks: chunksOf(raw) };
}
