/** Test images: real signatures, so `asRaster` accepts them, followed by any bytes. */
import { asRaster, type RasterBlob } from '../../../src/lib/util/raster.ts';

const SIGNATURES = {
	png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	jpeg: [0xff, 0xd8, 0xff],
	gif: [...'GIF89a'].map((c) => c.charCodeAt(0))
};

/** A checked image of this kind: its signature, then `tail`. */
export async function image(
	kind: keyof typeof SIGNATURES,
	tail: ArrayLike<number> = []
): Promise<RasterBlob> {
	const blob = await asRaster(
		new Blob([new Uint8Array([...SIGNATURES[kind], ...Array.from(tail)])])
	);
	if (!blob) throw new Error(`not a ${kind}`);
	return blob;
}

/** An SVG page with script: what a hostile file or an old row may hold. */
export const SVG_WITH_SCRIPT =
	'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>';
