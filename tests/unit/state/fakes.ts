/**
 * Fakes for the state classes: a store that keeps rows in memory and a fetch that answers like
 * an OpenAI-compatible endpoint and records every request body, so tests assert what went on
 * the wire. Columns pointed at {@link FAKE_BASE_URL} (loopback: no key needed) use
 * `globalThis.fetch`, which {@link useFakeFetch} replaces for one test.
 */
import { afterEach, vi } from 'vitest';
import type { ConversationRow, MessageRow } from '../../../src/lib/db/rows.ts';
import type { ConversationStore } from '../../../src/lib/state/conversation.svelte.ts';
import type { ChatMessage } from '../../../src/lib/wire/types.ts';

export const FAKE_BASE_URL = 'http://127.0.0.1:9/v1';

export interface FakeStore extends ConversationStore {
	conversations: Map<string, ConversationRow>;
	messages: Map<string, MessageRow>;
	deleted: string[];
	/** Files stored (generated images, speech, audio sent), by id. */
	files: Map<string, Blob>;
	/** How often the conversation row was written. */
	conversationWrites: number;
}

export function fakeStore(): FakeStore {
	const store: FakeStore = {
		conversations: new Map(),
		messages: new Map(),
		deleted: [],
		files: new Map(),
		conversationWrites: 0,
		saveConversation(row) {
			store.conversationWrites++;
			store.conversations.set(row.id, structuredClone(row));
		},
		saveMessage(row) {
			store.messages.set(row.id, structuredClone(row));
		},
		deleteMessages(ids) {
			store.deleted.push(...ids);
			for (const id of ids) store.messages.delete(id);
		},
		putImage: () => Promise.resolve('blob-1'),
		putFile: (blob) => {
			const id = `file-${store.files.size + 1}`;
			store.files.set(id, blob);
			return Promise.resolve(id);
		},
		audio: (id) => Promise.resolve(store.files.get(id)),
		imageUrl: (id) => Promise.resolve(`data:image/png;base64,${id}`),
		dataUrl: async (blob) =>
			`data:${blob.type};base64,${Buffer.from(await blob.arrayBuffer()).toString('base64')}`
	};
	return store;
}

/** What the fake endpoint answers to one request. */
export type Reply =
	| { content: string }
	| { status: number; error: string }
	| { wait: Promise<void>; content: string };

export interface FakeFetch {
	/** The `messages` of every request, in order. */
	sent: ChatMessage[][];
	/** Every request body. */
	bodies: Array<Record<string, unknown>>;
	/** Answers, one per request, in order; the last repeats. */
	replies: Reply[];
}

/** Replace `globalThis.fetch` for the current test with a fake chat endpoint. */
export function useFakeFetch(...replies: Reply[]): FakeFetch {
	const fake: FakeFetch = { sent: [], bodies: [], replies };
	vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
		const body = JSON.parse(String(init.body)) as Record<string, unknown>;
		fake.bodies.push(body);
		fake.sent.push(body.messages as ChatMessage[]);
		const reply = fake.replies[Math.min(fake.sent.length - 1, fake.replies.length - 1)] ?? {
			content: 'ok'
		};
		if ('status' in reply)
			return new Response(JSON.stringify({ error: { message: reply.error } }), {
				status: reply.status,
				headers: { 'content-type': 'application/json' }
			});
		if ('wait' in reply)
			await new Promise<void>((resolve, reject) => {
				const abort = () => reject(new DOMException('aborted', 'AbortError'));
				if (init.signal?.aborted) abort();
				init.signal?.addEventListener('abort', abort);
				void reply.wait.then(resolve);
			});
		return new Response(
			JSON.stringify({
				id: 'x',
				object: 'chat.completion',
				model: String(body.model),
				choices: [
					{
						index: 0,
						message: { role: 'assistant', content: reply.content },
						finish_reason: 'stop'
					}
				],
				usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }
			}),
			{ status: 200, headers: { 'content-type': 'application/json' } }
		);
	});
	return fake;
}

afterEach(() => {
	vi.unstubAllGlobals();
});

/** Only role and text of each message: what a reader of the wire compares. */
export function roles(messages: ChatMessage[] | undefined): string[] {
	return (messages ?? []).map(
		(m) => `${m.role}: ${typeof m.content === 'string' ? m.content : ''}`
	);
}
