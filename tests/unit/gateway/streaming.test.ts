/** The gateway's normal answers and dialects, read raw off the wire. */
import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../../src/lib/wire/types.ts';
import { chat, chunksOf, dataOf, joined, streamed, useGateway } from './helpers.ts';

const gateway = useGateway();
const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('echo', () => {
	it('streams OpenAI chunks word by word, then a finish reason and [DONE]', async () => {
		const { res, raw, chunks } = await streamed(gateway(), {
			model: 'echo',
			messages: [
				{ role: 'user', content: 'first' },
				{ role: 'assistant', content: 'ok' },
				{ role: 'user', content: 'hello there world' }
			]
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(dataOf(raw).at(-1)).toBe('[DONE]');
		for (const c of chunks) {
			expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'echo' });
			expect(typeof c.id).toBe('string');
		}
		expect(chunks[0]?.choices?.[0]?.delta?.role).toBe('assistant');
		expect(joined(chunks)).toBe('You said: hello there world');
		const words = chunks.filter((c) => c.choices?.[0]?.delta?.content);
		expect(words.map((c) => c.choices?.[0]?.delta?.content?.trim())).toEqual([
			'You',
			'said:',
			'hello',
			'there',
			'world'
		]);
		expect(chunks.at(-1)?.choices?.[0]?.finish_reason).toBe('stop');
	});

	it('reads the text parts of a multimodal message', async () => {
		const { chunks } = await streamed(gateway(), {
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'look' },
						{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }
					]
				}
			]
		});
		expect(joined(chunks)).toBe('You said: look [image]');
	});

	it('answers n choices, each prefixed, and a usage chunk with empty choices when asked', async () => {
		const { chunks } = await streamed(gateway(), {
			model: 'echo',
			n: 2,
			stream_options: { include_usage: true }
		});
		expect(joined(chunks, 'content', 0)).toBe('Choice 0: You said: hello world');
		expect(joined(chunks, 'content', 1)).toBe('Choice 1: You said: hello world');
		const last = chunks.at(-1);
		expect(last?.choices).toEqual([]);
		const usage = last?.usage;
		expect(usage?.prompt_tokens).toBe(2);
		expect(usage?.completion_tokens).toBeGreaterThan(0);
		expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
		expect(chunks.filter((c) => c.usage)).toHaveLength(1);
	});

	it('sends no usage chunk unless asked', async () => {
		const { chunks } = await streamed(gateway(), { model: 'echo' });
		expect(chunks.some((c) => c.usage)).toBe(false);
	});

	it('answers a non-streamed request with one JSON response and usage', async () => {
		const res = await chat(gateway(), { model: 'some-unknown-model', stream: false, n: 2 });
		expect(res.headers.get('content-type')).toBe('application/json');
		const body = (await res.json()) as ChatResponse;
		expect(body.object).toBe('chat.completion');
		expect(body.choices.map((c) => c.message?.content)).toEqual([
			'Choice 0: You said: hello world',
			'Choice 1: You said: hello world'
		]);
		expect(body.choices[0]?.finish_reason).toBe('stop');
		expect(body.usage?.total_tokens).toBeGreaterThan(0);
	});
});

describe('speeds', () => {
	it('slow: about 30 chunks, 80 ms apart', async () => {
		const started = Date.now();
		const { chunks } = await streamed(gateway(), { model: 'slow' });
		const contents = chunks.filter((c) => c.choices?.[0]?.delta?.content);
		expect(contents.length).toBeGreaterThanOrEqual(25);
		expect(Date.now() - started).toBeGreaterThanOrEqual(25 * 80);
	});

	it('fast: about 200 chunks at once', async () => {
		const { chunks } = await streamed(gateway(), { model: 'fast' });
		expect(chunks.filter((c) => c.choices?.[0]?.delta?.content).length).toBeGreaterThanOrEqual(200);
	});

	it('slow-headers:<ms> holds the headers back that long', async () => {
		const started = Date.now();
		const res = await chat(gateway(), { model: 'slow-headers:300', stream: false });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(((await res.json()) as ChatResponse).choices[0]?.message?.content).toBe(
			'You said: hello world'
		);
	});
});

describe('reasoning', () => {
	it.each([
		['reasoning', 'reasoning_content'],
		['reasoning-alt', 'reasoning']
	] as const)('%s streams its thinking in %s before the content', async (model, field) => {
		const { chunks } = await streamed(gateway(), { model });
		expect(joined(chunks, field)).toBe('Let me think about this step by step.');
		expect(joined(chunks)).toBe('You said: hello world');
		const firstContent = chunks.findIndex((c) => c.choices?.[0]?.delta?.content);
		const lastThought = chunks.findLastIndex((c) => c.choices?.[0]?.delta?.[field]);
		expect(lastThought).toBeLessThan(firstContent);
	});
});

describe('verbatim text', () => {
	it('json: answers {"answer": 42}', async () => {
		const { chunks } = await streamed(gateway(), { model: 'json' });
		expect(JSON.parse(joined(chunks))).toEqual({ answer: 42 });
	});

	it('markdown:<base64url> streams the decoded text in small chunks', async () => {
		const text = '# Title\n\n<img src=x onerror=alert(1)> **bold** — 你好';
		const { chunks } = await streamed(gateway(), { model: `markdown:${b64(text)}` });
		expect(joined(chunks)).toBe(text);
		expect(chunks.length).toBeGreaterThan(3);
	});

	it('chunked:<n>:<base64url> uses chunks of n characters', async () => {
		const text = 'abcdefghij';
		const { chunks } = await streamed(gateway(), { model: `chunked:3:${b64(text)}` });
		expect(chunks.map((c) => c.choices?.[0]?.delta?.content)).toEqual(['abc', 'def', 'ghi', 'j']);
	});
});

describe('tools', () => {
	const tools = [
		{ type: 'function' as const, function: { name: 'get_weather' } },
		{ type: 'function' as const, function: { name: 'get_time' } }
	];

	it('streams two parallel calls: id and name first, then arguments in fragments', async () => {
		const { chunks } = await streamed(gateway(), { model: 'tools', tools });
		const deltas = chunks.flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? []);
		for (const index of [0, 1]) {
			const mine = deltas.filter((d) => d.index === index);
			expect(mine[0]?.id).toBe(`call_${index}`);
			expect(mine[0]?.function?.name).toBe(tools[index]?.function.name);
			expect(mine.slice(1).every((d) => d.id === undefined && d.function?.name === undefined)).toBe(
				true
			);
			expect(mine.length).toBeGreaterThan(3);
			const args = mine.map((d) => d.function?.arguments ?? '').join('');
			expect(JSON.parse(args)).toHaveProperty('city');
		}
		expect(chunks.at(-1)?.choices?.[0]?.finish_reason).toBe('tool_calls');
	});

	it('makes a single call when parallel_tool_calls is false', async () => {
		const { chunks } = await streamed(gateway(), {
			model: 'tools',
			tools,
			parallel_tool_calls: false
		});
		const indexes = chunks
			.flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? [])
			.map((d) => d.index);
		expect(new Set(indexes)).toEqual(new Set([0]));
	});

	it('returns the calls whole when not streamed', async () => {
		const res = await chat(gateway(), { model: 'tools', tools, stream: false });
		const choice = ((await res.json()) as ChatResponse).choices[0];
		expect(choice?.finish_reason).toBe('tool_calls');
		expect(choice?.message?.tool_calls?.map((c) => c.function.name)).toEqual([
			'get_weather',
			'get_time'
		]);
	});

	it('answers a tool result with "Tool said: <content>"', async () => {
		const { chunks } = await streamed(gateway(), {
			model: 'tools',
			tools,
			messages: [
				{ role: 'user', content: 'weather?' },
				{
					role: 'assistant',
					content: null,
					tool_calls: [
						{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{}' } }
					]
				},
				{ role: 'tool', tool_call_id: 'call_0', content: '{"temp": 21}' }
			]
		});
		expect(joined(chunks)).toBe('Tool said: {"temp": 21}');
	});
});

describe('dialects', () => {
	it('crlf ends every line with CRLF', async () => {
		const { raw, chunks } = await streamed(gateway(), { model: 'crlf' });
		expect(raw.replaceAll('\r\n', '')).not.toContain('\n');
		expect(joined(chunks)).toBe('You said: hello world');
	});

	it('nospace writes data: without the space', async () => {
		const { raw, chunks } = await streamed(gateway(), { model: 'nospace' });
		expect(raw).toMatch(/^data:\{/m);
		expect(raw).not.toMatch(/^data: /m);
		expect(joined(chunks)).toBe('You said: hello world');
	});

	it('comments sends keep-alive comments and empty events', async () => {
		const { raw, chunks } = await streamed(gateway(), { model: 'comments' });
		expect(raw).toMatch(/^: keep-alive$/m);
		expect(raw).toContain('\n\n\n');
		expect(joined(chunks)).toBe('You said: hello world');
	});

	it('utf8-split cuts multi-byte characters across network reads', async () => {
		const res = await chat(gateway(), { model: 'utf8-split', stream: true });
		const reads: Uint8Array[] = [];
		for await (const part of res.body ?? []) reads.push(part);
		const strict = new TextDecoder('utf-8', { fatal: true });
		const broken = reads.filter((r) => {
			try {
				strict.decode(r);
				return false;
			} catch {
				return true;
			}
		});
		expect(broken.length).toBeGreaterThan(0);
		const whole = new TextDecoder().decode(Buffer.concat(reads));
		expect(joined(chunksOf(whole))).toBe('You said: hello world — 你好，世界 🎉');
	});

	it('no-done ends without [DONE] and without a finish reason', async () => {
		const { raw, chunks } = await streamed(gateway(), { model: 'no-done' });
		expect(raw).not.toContain('[DONE]');
		expect(chunks.some((c) => (c.choices ?? []).some((x) => x.finish_reason))).toBe(false);
		expect(joined(chunks)).toBe('You said: hello world');
	});

	it('usage-last sends usage with empty choices even unasked', async () => {
		const { chunks } = await streamed(gateway(), { model: 'usage-last' });
		expect(chunks.at(-1)?.choices).toEqual([]);
		expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
	});
});
