import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runChat as runChatNow } from '../../../src/lib/wire/chat.ts';
import { DEMO_BASE_URL, DEMO_MODEL, demoFetch, isDemoUrl } from '../../../src/lib/wire/demo.ts';
import type { ChatRequest, PreparedRequest } from '../../../src/lib/wire/types.ts';

function demoRequest(body: Partial<ChatRequest> = {}): PreparedRequest {
	return {
		url: `${DEMO_BASE_URL}/chat/completions`,
		headers: { 'Content-Type': 'application/json' },
		body: {
			model: DEMO_MODEL,
			messages: [{ role: 'user', content: 'Show me markdown' }],
			stream: true,
			...body
		}
	};
}

/**
 * The demo paces its stream with timers, like a model typing: on a fake clock a test takes no
 * time and cannot time out on a busy machine.
 */
beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => void vi.useRealTimers());

async function runChat(...args: Parameters<typeof runChatNow>): ReturnType<typeof runChatNow> {
	let done = false;
	const run = runChatNow(...args).finally(() => (done = true));
	while (!done) await vi.advanceTimersByTimeAsync(20);
	return run;
}

describe('demo endpoint through runChat', () => {
	it('streams a markdown answer with a table, code and reasoning', async () => {
		const { answer, raw } = await runChat(demoRequest(), { fetch: demoFetch });
		expect(answer.status).toBe('done');
		expect(answer.model).toBe(DEMO_MODEL);
		const c = answer.choices[0];
		expect(c?.content).toContain('## Hello from the offline demo');
		expect(c?.content).toContain('Show me markdown');
		expect(c?.content).toContain('```ts');
		expect(c?.content).toContain('| Step | What happens |');
		expect(c?.reasoning.length).toBeGreaterThan(20);
		expect(c?.finishReason).toBe('stop');
		expect(answer.usage).toBeUndefined();
		expect(raw.headers['content-type']).toContain('text/event-stream');
		expect(raw.events.length).toBeGreaterThan(20);
	});

	it('with include_usage has usage', async () => {
		const { answer } = await runChat(demoRequest({ stream_options: { include_usage: true } }), {
			fetch: demoFetch
		});
		expect(answer.usage?.total_tokens).toBeGreaterThan(0);
		expect(answer.usage?.total_tokens).toBe(
			(answer.usage?.prompt_tokens ?? 0) + (answer.usage?.completion_tokens ?? 0)
		);
	});

	it('n: 2 gives two choices', async () => {
		const { answer } = await runChat(demoRequest({ n: 2 }), { fetch: demoFetch });
		expect(answer.choices.map((c) => c.index)).toEqual([0, 1]);
		expect(answer.choices[1]?.content).toContain('*Choice 1.*');
		expect(answer.choices[0]?.content).not.toContain('*Choice');
	});

	it('non-stream returns JSON', async () => {
		const res = await demoFetch(`${DEMO_BASE_URL}/chat/completions`, {
			method: 'POST',
			body: JSON.stringify(demoRequest({ stream: false }).body)
		});
		expect(res.headers.get('content-type')).toContain('application/json');
		const { answer } = await runChat(demoRequest({ stream: false }), { fetch: demoFetch });
		expect(answer.status).toBe('done');
		expect(answer.choices[0]?.content).toContain('| Step |');
		expect(answer.usage?.total_tokens).toBeGreaterThan(0);
	});

	it('calls a weather tool when asked about the weather', async () => {
		const tools: ChatRequest['tools'] = [
			{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }
		];
		const { answer } = await runChat(
			demoRequest({ tools, messages: [{ role: 'user', content: 'weather in Tokyo?' }] }),
			{ fetch: demoFetch }
		);
		expect(answer.choices[0]?.toolCalls).toEqual([
			{
				id: 'call_demo_0',
				type: 'function',
				function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' }
			}
		]);
		expect(answer.choices[0]?.finishReason).toBe('tool_calls');
	});

	it('aborting stops with the partial text', async () => {
		const user = new AbortController();
		const { answer } = await runChat(demoRequest(), {
			fetch: demoFetch,
			signal: user.signal,
			onUpdate: (a) => {
				if ((a.choices[0]?.content.length ?? 0) > 0) user.abort();
			}
		});
		expect(answer.status).toBe('stopped');
		const content = answer.choices[0]?.content ?? '';
		expect(content.length).toBeGreaterThan(0);
		expect(content).not.toContain('Add column');
	});

	it('answers /models and 404s elsewhere; isDemoUrl knows its origin', async () => {
		const models = (await (await demoFetch(`${DEMO_BASE_URL}/models`)).json()) as {
			data: Array<{ id: string }>;
		};
		expect(models.data.map((m) => m.id)).toEqual([DEMO_MODEL]);
		expect((await demoFetch(`${DEMO_BASE_URL}/nope`)).status).toBe(404);
		expect(isDemoUrl(`${DEMO_BASE_URL}/chat/completions`)).toBe(true);
		expect(isDemoUrl('https://api.openai.com/v1')).toBe(false);
		expect(isDemoUrl('not a url')).toBe(false);
	});
});
