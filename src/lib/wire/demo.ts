/**
 * The `Demo (offline)` endpoint: a fetch-compatible function that answers like a gateway,
 * with real SSE bytes, so a newcomer sees the whole pipeline work with no key and no network.
 */
import { MODE_PATHS } from './endpoint.ts';
import type { ChatChunk, ChatMessage, ChatRequest, ChatResponse, ToolDefinition } from './types.ts';

/** `.invalid` never resolves: if anything bypassed the demo, it could not reach a real host. */
export const DEMO_BASE_URL = 'https://demo.invalid/v1';
export const DEMO_MODEL = 'switchboard-demo';
const DEMO_ORIGIN = new URL(DEMO_BASE_URL).origin;
const CHUNK_DELAY_MS = 12;

export function isDemoUrl(url: string): boolean {
	try {
		return new URL(url).origin === DEMO_ORIGIN;
	} catch {
		return false;
	}
}

const REASONING =
	'The user is trying the offline demo. Show what the renderer can do: a heading, a list, code, a table, and some maths-free prose.';

function lastUserText(messages: ChatMessage[]): string {
	const last = [...messages].reverse().find((m) => m.role === 'user');
	if (!last || last.role !== 'user') return '';
	if (typeof last.content === 'string') return last.content;
	return last.content.map((p) => (p.type === 'text' ? p.text : '[image]')).join(' ');
}

function answerText(request: ChatRequest, choice: number): string {
	const said = lastUserText(request.messages).slice(0, 200);
	const prefix = choice > 0 ? `*Choice ${choice}.* ` : '';
	return `${prefix}## Hello from the offline demo

You said: “${said}”. This answer streamed as real Server-Sent Events through the same code that talks to your gateway:

- **markdown** rendered as it arrives,
- code highlighted once its block closes,
- reasoning shown in its own part above.

\`\`\`ts
const res = await fetch(\`\${base}/chat/completions\`, {
\tmethod: 'POST',
\theaders: { Authorization: \`Bearer \${key}\` },
\tbody: JSON.stringify({ model, messages, stream: true })
});
\`\`\`

| Step | What happens |
| --- | --- |
| 1 | Pick a preset or paste a base URL |
| 2 | Set parameters (empty = not sent) |
| 3 | Send, and compare columns side by side |

Next: click the model name at the top of this column to paste your gateway's base URL and key, or press **Add column** to compare.`;
}

function weatherCall(tools: ToolDefinition[] | undefined, text: string) {
	const tool = tools?.find((t) => /weather/i.test(t.function.name));
	return tool && /weather/i.test(text) ? tool.function.name : undefined;
}

/** Split text into small pieces, the way tokens arrive. */
function pieces(text: string): string[] {
	return text.match(/\s*\S+\s*/g) ?? [text];
}

function chunk(choices: ChatChunk['choices'], extra: Partial<ChatChunk> = {}): ChatChunk {
	return {
		id: 'chatcmpl-demo',
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: DEMO_MODEL,
		choices,
		...extra
	};
}

function usage(request: ChatRequest, texts: string[]) {
	const prompt = JSON.stringify(request.messages).length / 4;
	const completion = texts.join('').length / 4;
	return {
		prompt_tokens: Math.ceil(prompt),
		completion_tokens: Math.ceil(completion),
		total_tokens: Math.ceil(prompt) + Math.ceil(completion)
	};
}

function events(request: ChatRequest): ChatChunk[] {
	const n = Math.min(Math.max(request.n ?? 1, 1), 4);
	const text = lastUserText(request.messages);
	const tool = weatherCall(request.tools, text);
	const out: ChatChunk[] = [];
	const texts: string[] = [];
	for (let i = 0; i < n; i++) {
		out.push(chunk([{ index: i, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
		if (tool) {
			const args = JSON.stringify({ city: /in ([A-Z][a-z]+)/.exec(text)?.[1] ?? 'Paris' });
			out.push(
				chunk([
					{
						index: i,
						delta: {
							tool_calls: [
								{
									index: 0,
									id: `call_demo_${i}`,
									type: 'function',
									function: { name: tool, arguments: '' }
								}
							]
						}
					}
				])
			);
			for (const p of args.match(/.{1,6}/g) ?? [])
				out.push(
					chunk([{ index: i, delta: { tool_calls: [{ index: 0, function: { arguments: p } }] } }])
				);
			out.push(chunk([{ index: i, delta: {}, finish_reason: 'tool_calls' }]));
			continue;
		}
		if (i === 0)
			for (const p of pieces(REASONING))
				out.push(chunk([{ index: i, delta: { reasoning_content: p } }]));
		const answer = answerText(request, i);
		texts.push(answer);
		for (const p of pieces(answer)) out.push(chunk([{ index: i, delta: { content: p } }]));
		out.push(chunk([{ index: i, delta: {}, finish_reason: 'stop' }]));
	}
	if (request.stream_options?.include_usage) out.push(chunk([], { usage: usage(request, texts) }));
	return out;
}

function response(request: ChatRequest): ChatResponse {
	const texts: string[] = [];
	const choices: ChatResponse['choices'] = [];
	const n = Math.min(Math.max(request.n ?? 1, 1), 4);
	for (let i = 0; i < n; i++) {
		const content = answerText(request, i);
		texts.push(content);
		choices.push({
			index: i,
			message: { role: 'assistant', content, reasoning_content: i === 0 ? REASONING : null },
			finish_reason: 'stop'
		});
	}
	return {
		id: 'chatcmpl-demo',
		object: 'chat.completion',
		model: DEMO_MODEL,
		choices,
		usage: usage(request, texts)
	};
}

/** Events as SSE, one every CHUNK_DELAY_MS, ending with `[DONE]`; an abort errors the body. */
function sse(
	chunks: unknown[],
	signal: AbortSignal | null | undefined
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let i = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			signal?.addEventListener('abort', () => {
				clearTimeout(timer);
				controller.error(new DOMException('The operation was aborted.', 'AbortError'));
			});
		},
		pull(controller) {
			return new Promise<void>((resolve) => {
				timer = setTimeout(() => {
					if (signal?.aborted) return resolve();
					const next = chunks[i++];
					if (next) controller.enqueue(encoder.encode(`data: ${JSON.stringify(next)}\n\n`));
					else {
						controller.enqueue(encoder.encode('data: [DONE]\n\n'));
						controller.close();
					}
					resolve();
				}, CHUNK_DELAY_MS);
			});
		}
	});
}

export const demoFetch: typeof fetch = async (input, init) => {
	const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
	const signal = init?.signal;
	if (signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
	const path = new URL(url).pathname;
	if (path.endsWith('/models'))
		return Response.json({
			object: 'list',
			data: [{ id: DEMO_MODEL, object: 'model', owned_by: 'switchboard' }]
		});
	// The media answers (a PNG and WAV encoder) load when first asked for.
	if (Object.values(MODE_PATHS).some((p) => p !== MODE_PATHS.chat && path.endsWith(p))) {
		const { demoMediaResponse } = await import('./demo-media.ts');
		const media = await demoMediaResponse(path, init, (events) => sse(events, signal));
		if (media) return media;
	}
	if (!path.endsWith('/chat/completions'))
		return Response.json(
			{ error: { message: `No route ${path}`, type: 'not_found' } },
			{ status: 404 }
		);
	const request = JSON.parse(String(init?.body ?? '{}')) as ChatRequest;
	if (!request.stream) return Response.json(response(request));
	return new Response(sse(events(request), signal), {
		headers: { 'content-type': 'text/event-stream; charset=utf-8' }
	});
};
