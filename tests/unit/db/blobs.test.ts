import { describe, expect, it } from 'vitest';
import { getBlob, putBlob } from '../../../src/lib/db/blobs.ts';
import { bytesOf, freshDb } from './helpers.ts';

describe('blobs', () => {
	it('round-trips bytes and mime type', async () => {
		const { db } = freshDb();
		const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
		const id = await putBlob(db, new Blob([bytes], { type: 'image/webp' }));
		const back = await getBlob(db, id);
		expect(back?.type).toBe('image/webp');
		expect(back?.size).toBe(70_000);
		expect(await bytesOf(back)).toEqual([...bytes]);
		expect((await db.blobs.get(id))?.mime).toBe('image/webp');
		const id2 = await putBlob(db, new Blob(['x']));
		expect(id2).not.toBe(id);
		expect(await getBlob(db, 'missing')).toBeUndefined();
	});
});
