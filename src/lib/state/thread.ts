import type { MessageRow } from '../db/rows.ts';
import type { ChatMessage, ContentPart } from '../wire/types.ts';

/**
 * Stored messages → the `messages` of a request. Failed answers with nothing in them
 * are left out: resending a thread should not replay an empty assistant turn. Media turns
 * (images, speech, transcription) are left out too: they were never part of the chat.
 */
export async function toChatMessages(
	rows: readonly MessageRow[],
	imageUrl: (blobId: string) => Promise<string>
): Promise<ChatMessage[]> {
	const out: ChatMessage[] = [];
	for (const row of rows) {
		if (row.mode) continue;
		switch (row.role) {
			case 'system':
				out.push({ role: 'system', content: row.content });
				break;
			case 'user':
				out.push({ role: 'user', content: row.parts ? await toParts(row, imageUrl) : row.content });
				break;
			case 'tool':
				out.push({ role: 'tool', tool_call_id: row.toolCallId ?? '', content: row.content });
				break;
			case 'assistant': {
				const choice = row.answer?.choices[0];
				const content = choice?.content ?? '';
				const calls = choice?.toolCalls.length ? choice.toolCalls : undefined;
				if (!content && !calls) break;
				out.push(
					calls
						? { role: 'assistant', content: content || null, tool_calls: calls }
						: { role: 'assistant', content }
				);
				break;
			}
		}
	}
	return out;
}

async function toParts(
	row: MessageRow,
	imageUrl: (blobId: string) => Promise<string>
): Promise<ContentPart[]> {
	const parts: ContentPart[] = [];
	for (const part of row.parts ?? []) {
		if (part.type === 'text') parts.push({ type: 'text', text: part.text });
		else if (part.type === 'image_url')
			parts.push({ type: 'image_url', image_url: { url: part.url } });
		else {
			// An image not shown (no raster image, see getBlob) is not sent either.
			const url = await imageUrl(part.blobId);
			if (url) parts.push({ type: 'image_url', image_url: { url } });
		}
	}
	return parts;
}
