import { readFileSync } from 'node:fs';
import type { PreparedRequest } from '../../../src/lib/wire/types.ts';
import type { EndpointConfig } from '../../../src/lib/app-types.ts';
import { DEFAULT_ENDPOINT } from '../../../src/lib/wire/endpoint.ts';

export const fixtureBytes = (name: string): Uint8Array =>
	new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A deterministic pseudo-random generator (mulberry32), so random chunkings reproduce. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export type Chunking = (length: number) => number[];

export const oneChunk: Chunking = (length) => [length];
export const oneByte: Chunking = (length) => Array.from({ length }, () => 1);
export const randomChunks =
	(seed: number): Chunking =>
	(length) => {
		const rand = seeded(seed);
		const sizes: number[] = [];
		let left = length;
		while (left > 0) {
			const n = Math.min(left, 1 + Math.floor(rand() * 23));
			sizes.push(n);
			left -= n;
		}
		return sizes;
	};

export const chunkings: Array<[string, Chunking]> = [
	['one chunk', oneChunk],
	['one byte per chunk', oneByte],
	['random chunks (seed 1)', randomChunks(1)],
	['random chunks (seed 42)', randomChunks(42)],
	['random chunks (seed 9001)', randomChunks(9001)]
];

/** A body that delivers `bytes` split as `chunking` says. */
export function bodyOf(
	bytes: Uint8Array,
	chunking: Chunking = oneChunk
): ReadableStream<Uint8Array> {
	const sizes = chunking(bytes.length);
	let at = 0;
	let i = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (at >= bytes.length) {
				controller.close();
				return;
			}
			const n = sizes[i++] ?? bytes.length - at;
			controller.enqueue(bytes.slice(at, at + n));
			at += n;
		}
	});
}

export function sseFetch(
	bytes: Uint8Array,
	chunking: Chunking = oneChunk,
	init: ResponseInit = {}
): typeof fetch {
	return async () =>
		new Response(bodyOf(bytes, chunking), {
			status: 200,
			headers: { 'content-type': 'text/event-stream' },
			...init
		});
}

export function prepared(
	stream = true,
	url = 'https://gw.example/v1/chat/completions'
): PreparedRequest {
	return {
		url,
		headers: { 'Content-Type': 'application/json' },
		body: {
			model: 'm',
			messages: [{ role: 'user', content: 'hi' }],
			...(stream ? { stream: true } : {})
		}
	};
}

export function endpoint(over: Partial<EndpointConfig> = {}): EndpointConfig {
	return { ...DEFAULT_ENDPOINT, baseUrl: 'https://gw.example/v1', ...over };
}

export const chunkLine = (delta: Record<string, unknown>, index = 0): string =>
	`data: ${JSON.stringify({ choices: [{ index, delta, finish_reason: null }] })}\n\n`;
