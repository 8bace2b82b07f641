import type { Attachment } from './conversation.svelte.ts';
import { asRaster } from '../util/raster.ts';

/**
 * Files attached or pasted → attachments typed by their bytes, and the names of those refused
 * because they are no raster image (an SVG or HTML file could run script once shown).
 */
export async function attachFiles(
	files: File[]
): Promise<{ added: Attachment[]; refused: string[] }> {
	const added: Attachment[] = [];
	const refused: string[] = [];
	for (const file of files) {
		const blob = await asRaster(file);
		if (blob) added.push({ kind: 'file', blob, name: file.name });
		else refused.push(file.name);
	}
	return { added, refused };
}
