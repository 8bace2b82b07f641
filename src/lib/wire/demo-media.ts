/**
 * The offline demo's media answers, generated on the spot with no DOM: a small PNG drawn from the
 * prompt (stored deflate, so no zlib), a WAV tone as long as the text, and a transcript in every
 * response format.
 */

/** The demo's answer to a media path, or undefined when `path` is not one. */
export async function demoMediaResponse(
	path: string,
	init: RequestInit | undefined
): Promise<Response | undefined> {
	throw new Error('todo');
}
