/**
 * A media turn (images, speech, transcription) between the wire and storage: what a prompt asks
 * of a column in its mode, and how a result is kept (blobs stored, figures on its answer).
 */
import type { MessageRow, StoredFile, StoredImage, StoredMedia } from '../db/rows.ts';
import type {
	Answer,
	MediaInput,
	MediaMode,
	MediaResult,
	MediaUsage,
	ParamValues,
	Usage
} from '../wire/types.ts';
import { extensionOf } from '../wire/media-request.ts';

/** Speech arriving, for playing while it downloads. */
export interface LiveAudio {
	/** The result message it belongs to. */
	id: string;
	stream: ReadableStream<Uint8Array>;
	type: string;
}

/** An audio file chosen or recorded for transcription. */
export interface AudioFile {
	blob: Blob;
	name: string;
}

/**
 * What one prompt asks of a column in `mode`, and the parameters it sets (the prompt of a
 * transcription). Undefined: transcription without a file.
 */
export function mediaAsk(
	mode: MediaMode,
	text: string,
	file: AudioFile | undefined
): { input: MediaInput; params: ParamValues } | undefined {
	if (mode === 'images') return { input: { mode, prompt: text }, params: {} };
	if (mode === 'speech') return { input: { mode, text }, params: {} };
	if (!file) return undefined;
	return {
		input: { mode, file: file.blob, fileName: file.name },
		params: text.trim() ? { prompt: text } : {}
	};
}

/** A media prompt's file, read back to ask again (Retry, Regenerate, Edit). */
export async function fileOf(
	turn: MessageRow,
	audio: (blobId: string) => Promise<Blob | undefined>
): Promise<AudioFile | undefined> {
	const input = turn.media?.input;
	const blob = input && (await audio(input.blobId));
	return input && blob && { blob, name: input.name ?? 'audio' };
}

/** A file as kept with its message: its bytes go to the blobs table. */
export async function storeFile(
	blob: Blob,
	putFile: (blob: Blob) => Promise<string>,
	name?: string
): Promise<StoredFile> {
	return {
		blobId: await putFile(blob),
		mime: blob.type,
		size: blob.size,
		...(name ? { name } : {})
	};
}

/** The result as it stands while it runs: a streamed transcript so far. */
export function pendingMedia(row: MessageRow, result: MediaResult): MessageRow {
	return result.transcript ? { ...row, media: { transcript: result.transcript } } : row;
}

/** A media answer's token counts in the shape chat's metrics and comparison read. */
function usageOf(usage: MediaUsage): Usage {
	return {
		prompt_tokens: usage.input_tokens,
		completion_tokens: usage.output_tokens,
		total_tokens: usage.total_tokens
	};
}

/** The settled result as kept: images and audio stored as blobs, figures on its answer. */
export async function settleMedia(
	row: MessageRow,
	result: MediaResult,
	putFile: (blob: Blob) => Promise<string>
): Promise<MessageRow> {
	const media: StoredMedia = {};
	if (result.images)
		media.images = await Promise.all(
			result.images.map(async (image): Promise<StoredImage> => ({
				...(image.blob ? { file: await storeFile(image.blob, putFile) } : {}),
				...(image.url ? { url: image.url } : {}),
				...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {})
			}))
		);
	if (result.audio)
		media.audio = await storeFile(
			result.audio.blob,
			putFile,
			`speech.${extensionOf(result.audio.type)}`
		);
	if (result.transcript) media.transcript = result.transcript;
	const answer: Answer = {
		choices: [],
		timing: result.timing,
		status: result.status,
		...(result.model ? { model: result.model } : {}),
		...(result.usage ? { usage: usageOf(result.usage) } : {}),
		...(result.error ? { error: result.error } : {})
	};
	return { ...row, answer, media, updatedAt: Date.now() };
}
