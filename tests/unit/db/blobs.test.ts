import { describe, expect, it } from 'vitest';
import { getBlob, putBlob } from '../../../src/lib/db/blobs.ts';
import { bytesOf, freshDb } from './helpers.ts';
import { image, SVG_WITH_SCRIPT } from '../util/images.ts';

describe('blobs', () => {
	it('round-trips bytes and mime type', async () => {
		const { db } = freshDb();
		const blob = await image(
			'png',
			new Uint8Array(70_000).map((_, i) => (i * 7) % 256)
		);
		const id = await putBlob(db, blob);
		const back = await getBlob(db, id);
		expect(back?.type).toBe('image/png');
		expect(back?.size).toBe(70_008);
		expect(await bytesOf(back)).toEqual(await bytesOf(blob));
		expect((await db.blobs.get(id))?.mime).toBe('image/png');
		const id2 = await putBlob(db, blob);
		expect(id2).not.toBe(id);
		expect(await getBlob(db, 'missing')).toBeUndefined();
	});

	// Rows written before types were checked: what a browser would render as a document.
	it('never hands out a stored blob that is no raster image, and types the others by their bytes', async () => {
		const { db } = freshDb();
		const old = (id: string, blob: Blob) =>
			db.blobs.put({ id, blob, mime: blob.type, createdAt: 1 });
		await old('svg', new Blob([SVG_WITH_SCRIPT], { type: 'image/svg+xml' }));
		await old('html', new Blob(['<script>alert(1)</script>'], { type: 'image/png' }));
		await old('png-as-html', new Blob([await image('png', [1])], { type: 'text/html' }));
		expect(await getBlob(db, 'svg')).toBeUndefined();
		expect(await getBlob(db, 'html')).toBeUndefined();
		expect((await getBlob(db, 'png-as-html'))?.type).toBe('image/png');
	});
});
