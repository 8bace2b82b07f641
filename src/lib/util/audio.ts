/**
 * Audio kept as Blobs (speech answers, files to transcribe). A blob: URL opened as a page runs
 * at the app's origin if its type is a document's: stored audio is only ever typed `audio/…`,
 * and anything else is plain bytes that a browser downloads rather than renders.
 */

const AUDIO = /^audio\/[a-z0-9.+-]{1,60}$/;

/** The declared type when it is an audio type (parameters such as `;codecs=` dropped). */
export function audioType(declared: string): string | undefined {
	const type = declared.split(';')[0]?.trim().toLowerCase() ?? '';
	return AUDIO.test(type) ? type : undefined;
}

/** The blob re-typed as audio, or as plain bytes when its type is not audio. */
export function asAudio(blob: Blob): Blob {
	return new Blob([blob], { type: audioType(blob.type) ?? 'application/octet-stream' });
}
