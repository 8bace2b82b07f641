import type { SwitchboardDb } from './schema.ts';
import { newId } from '../util/id.ts';
import { asRaster, type RasterBlob } from '../util/raster.ts';
import { asAudio } from '../util/audio.ts';

/** Stores an image, or audio re-typed by asAudio: nothing that could open as a page. */
export async function putBlob(db: SwitchboardDb, blob: RasterBlob | Blob): Promise<string> {
	const id = newId();
	const safe = (await asRaster(blob)) ?? asAudio(blob);
	await db.blobs.put({ id, blob: safe, mime: safe.type, createdAt: Date.now() });
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

/** Stored audio, typed `audio/…` or as plain bytes (see asAudio); undefined when missing. */
export async function getAudio(db: SwitchboardDb, id: string): Promise<Blob | undefined> {
	const row = await db.blobs.get(id);
	return row && asAudio(row.blob);
}

/**
 * Copies of stored blobs under new ids, as old id → new id (a missing one is left out): a fork
 * owns its images and audio, so deleting either conversation leaves the other's whole.
 */
export async function copyBlobs(db: SwitchboardDb, ids: string[]): Promise<Map<string, string>> {
	const rows = (await db.blobs.bulkGet(ids)).filter((r) => r !== undefined);
	const copies = rows.map((r) => ({ ...r, id: newId() }));
	await db.blobs.bulkPut(copies);
	return new Map(rows.map((r, i) => [r.id, copies[i]?.id ?? r.id]));
}
