import type { SwitchboardDb } from './schema.ts';
import { newId } from '../util/id.ts';
import { asRaster, type RasterBlob } from '../util/raster.ts';

export async function putBlob(db: SwitchboardDb, blob: RasterBlob): Promise<string> {
	const id = newId();
	await db.blobs.put({ id, blob, mime: blob.type, createdAt: Date.now() });
	return id;
}

/**
 * A stored image, re-checked by its bytes and typed by them: undefined when missing or when it
 * is no raster image (a row stored before types were checked may hold an SVG or HTML page).
 */
export async function getBlob(db: SwitchboardDb, id: string): Promise<RasterBlob | undefined> {
	const row = await db.blobs.get(id);
	return row && asRaster(row.blob);
}
