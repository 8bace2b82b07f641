import { describe, expect, it } from 'vitest';
import { toChatMessages } from '../../../src/lib/state/thread.ts';
import type { MessageRow } from '../../../src/lib/db/rows.ts';

function row(partial: Partial<MessageRow>): MessageRow {
	return {
		id: 'm',
		conversationId: 'c',
		columnId: 'k',
		seq: 1,
		role: 'user',
		content: '',
		createdAt: 0,
		updatedAt: 0,
		...partial
	};
}

const call = { id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{}' } };

describe('stored thread → request messages', () => {
	it('turns images into image_url parts, local ones as data URLs', async () => {
		const messages = await toChatMessages(
			[
				row({
					content: 'look',
					parts: [
						{ type: 'text', text: 'look' },
						{ type: 'image', blobId: 'b1', mime: 'image/png' },
						{ type: 'image_url', url: 'https://example.com/a.png' }
					]
				})
			],
			async (id) => `data:image/png;base64,${id}`
		);
		expect(messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'look' },
					{ type: 'image_url', image_url: { url: 'data:image/png;base64,b1' } },
					{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }
				]
			}
		]);
	});

	it('leaves out a stored image that is not shown (no raster image): it is not sent either', async () => {
		const messages = await toChatMessages(
			[
				row({
					content: 'look',
					parts: [
						{ type: 'text', text: 'look' },
						{ type: 'image', blobId: 'svg', mime: 'image/svg+xml' }
					]
				})
			],
			async () => ''
		);
		expect(messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'look' }] }]);
	});

	it('sends tool calls and tool results back, and skips empty failed answers', async () => {
		const messages = await toChatMessages(
			[
				row({ content: 'weather?' }),
				row({
					role: 'assistant',
					answer: {
						choices: [{ index: 0, content: '', reasoning: '', toolCalls: [call] }],
						timing: { startedAt: 0 },
						status: 'done'
					}
				}),
				row({ role: 'tool', toolCallId: 'call_1', content: 'sunny' }),
				row({
					role: 'assistant',
					answer: { choices: [], timing: { startedAt: 0 }, status: 'failed' }
				})
			],
			async () => ''
		);
		expect(messages).toEqual([
			{ role: 'user', content: 'weather?' },
			{ role: 'assistant', content: null, tool_calls: [call] },
			{ role: 'tool', tool_call_id: 'call_1', content: 'sunny' }
		]);
	});
});
