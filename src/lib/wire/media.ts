/**
 * One media request from start to settled result: images (b64_json checked as a raster image, or
 * a URL kept unfetched), speech (audio bytes, teed for playback while they download) and
 * transcription (json, text formats, or streamed transcript deltas). Errors, abort and timeouts
 * as for chat.
 */
import type { ExchangeOptions } from './exchange.ts';
import type { MediaResult, PreparedMediaRequest, RawResponse } from './types.ts';

export interface MediaRunOptions extends ExchangeOptions {
	/** The result so far: a partial transcript while it streams. */
	onUpdate?: (result: MediaResult) => void;
	/**
	 * A copy of the speech body as it arrives, with its content type, so the page may play it
	 * while it downloads. Called once, when the response headers are in; the stream errors when
	 * the request is stopped or fails.
	 */
	onAudio?: (stream: ReadableStream<Uint8Array>, type: string) => void;
}

/** Past this a media answer stops with a notice (ten large base64 images fit). */
export const MAX_MEDIA_BYTES = 64 * 1024 * 1024;

/** Never throws: every outcome is a MediaResult with a status, and the raw exchange. */
export async function runMedia(
	req: PreparedMediaRequest,
	opts: MediaRunOptions = {}
): Promise<{ result: MediaResult; raw: RawResponse }> {
	throw new Error('todo');
}

/** The raster type of an image from its first bytes: png, jpeg, webp, gif, or undefined. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
	throw new Error('todo');
}

/** A file extension for a media type (`audio/mpeg` → `mp3`), for download names. */
export function extensionOf(type: string): string {
	throw new Error('todo');
}
