/**
 * Which raster image a file really is, by its first bytes. A stored image is shown through a
 * blob: URL, and a blob typed `image/svg+xml` or `text/html` opened by that URL runs as a
 * document at the app's origin: only these types are ever stored or shown.
 */
export const RASTER_TYPES = [
	'image/png',
	'image/jpeg',
	'image/gif',
	'image/webp',
	'image/avif'
] as const;
export type RasterType = (typeof RASTER_TYPES)[number];

const ascii = (bytes: Uint8Array, at: number, text: string): boolean =>
	[...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/** The type the bytes declare themselves, or undefined for anything but a raster image. */
export function rasterType(bytes: Uint8Array): RasterType | undefined {
	if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG\r\n\x1a\n')) return 'image/png';
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
	if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
	if (ascii(bytes, 4, 'ftyp') && (ascii(bytes, 8, 'avif') || ascii(bytes, 8, 'avis')))
		return 'image/avif';
	return undefined;
}

declare const checked: unique symbol;
/** A blob whose type asRaster set from its bytes: the only kind stored, sent or shown. */
export type RasterBlob = Blob & { readonly [checked]: true };

/**
 * The blob re-wrapped with the type its bytes show, or undefined when it is no raster image.
 * Whatever type the blob claimed is dropped, so a URL made from the result renders as an image.
 */
export async function asRaster(blob: Blob): Promise<RasterBlob | undefined> {
	const type = rasterType(new Uint8Array(await blob.slice(0, 16).arrayBuffer()));
	return type && (new Blob([blob], { type }) as RasterBlob);
}

/** The one way to a blob: URL for an image: it takes only a checked blob, never a document. */
export function rasterUrl(blob: RasterBlob): string {
	return URL.createObjectURL(blob);
}
