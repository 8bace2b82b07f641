import type { SwitchboardDb } from './schema.ts';
import { newId } from '../util/id.ts';

export async function putBlob(db: SwitchboardDb, blob: Blob): Promise<string> {
	const id = newId();
	await db.blobs.put({ id, blob, mime: blob.type, createdAt: Date.now() });
	return id;
}

export async function getBlob(db: SwitchboardDb, id: string): Promise<Blob | undefined> {
	return (await db.blobs.get(id))?.blob;
}
