import { describe, expect, it } from 'vitest';
import { readSse } from '../../../src/lib/wire/stream.ts';
import {
	bodyOf,
	type Chunking,
	chunkings,
	fixtureBytes,
	oneByte,
	oneChunk,
	utf8
} from './helpers.ts';

async function events(bytes: Uint8Array, chunking: Chunking = oneChunk) {
	const out: Array<{ data: string; event?: string }> = [];
	for await (const e of readSse(bodyOf(bytes, chunking), { now: () => 0 }))
		out.push(e.event ? { data: e.data, event: e.event } : { data: e.data });
	return out;
}

describe('readSse', () => {
	for (const [label, chunking] of chunkings) {
		describe(label, () => {
			it('yields one event per data line of the CRLF fixture and stops at [DONE]', async () => {
				const bytes = fixtureBytes('crlf.sse');
				expect(new TextDecoder().decode(bytes)).toContain('\r\n');
				const got = await events(bytes, chunking);
				expect(got).toHaveLength(4);
				for (const e of got) {
					expect(e.data.endsWith('\r')).toBe(false);
					expect(() => JSON.parse(e.data) as unknown).not.toThrow();
				}
			});

			it('reads `data:` without a space exactly like `data: `', async () => {
				const a = await events(fixtureBytes('data-no-space.sse'), chunking);
				const b = await events(fixtureBytes('crlf.sse'), chunking);
				expect(a).toEqual(b);
			});

			it('never yields comments or keep-alives', async () => {
				const got = await events(fixtureBytes('comments-keepalive.sse'), chunking);
				expect(got).toHaveLength(4);
				expect(got.every((e) => e.data.startsWith('{'))).toBe(true);
			});

			it('keeps a multi-byte UTF-8 character intact across chunk boundaries', async () => {
				const text = '你好🎉 ünïcödé';
				const got = await events(utf8(`data: ${text}\n\ndata: ${text}\n\n`), chunking);
				expect(got.map((e) => e.data)).toEqual([text, text]);
			});

			// Found by this suite: eventsource-parser's reset({ consume: true }) drops the pending
			// event, so readSse ends the stream with a blank line of its own.
			it('yields the last event even without its blank line', async () => {
				const got = await events(utf8('data: a\n\ndata: b\n'), chunking);
				expect(got.map((e) => e.data)).toEqual(['a', 'b']);
			});

			it('yields the last event even without any line ending', async () => {
				const got = await events(utf8('data: a\n\ndata: b'), chunking);
				expect(got.map((e) => e.data)).toEqual(['a', 'b']);
			});

			it('reports the event name of `event: error`', async () => {
				const got = await events(utf8('event: error\ndata: {"message":"boom"}\n\n'), chunking);
				expect(got).toEqual([{ data: '{"message":"boom"}', event: 'error' }]);
			});
		});
	}

	it('splits every UTF-8 byte of 你好🎉 into its own chunk and still decodes it', async () => {
		const bytes = utf8('data: 你好🎉\n\n');
		// '你' is 3 bytes, '🎉' is 4: one byte per chunk splits every character.
		expect(bytes.length).toBeGreaterThan('data: 你好🎉\n\n'.length);
		const got = await events(bytes, oneByte);
		expect(got.map((e) => e.data)).toEqual(['你好🎉']);
	});

	it('stops at [DONE], ignoring what follows, and cancels the body', async () => {
		let cancelled = false;
		const body = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(utf8('data: x\n\ndata: [DONE]\n\ndata: y\n\n'));
			},
			cancel() {
				cancelled = true;
			}
		});
		const got: string[] = [];
		for await (const e of readSse(body, { now: () => 0 })) got.push(e.data);
		expect(got).toEqual(['x']);
		expect(cancelled).toBe(true);
	});

	it('parses one 4 MiB event in 1 KiB chunks', async () => {
		const big = 'x'.repeat(4 * 1024 * 1024);
		const line = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: big } }] })}\n\n`;
		const got = await events(utf8(line), (length) =>
			Array.from({ length: Math.ceil(length / 1024) }, () => 1024)
		);
		expect(got).toHaveLength(1);
		expect(got[0]?.data.length).toBe(line.length - 'data: \n\n'.length);
	});
});
