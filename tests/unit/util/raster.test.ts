import { describe, expect, it } from 'vitest';
import { asRaster, rasterType } from '../../../src/lib/util/raster.ts';

const bytes = (...parts: Array<string | number[]>) =>
	new Uint8Array(
		parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p))
	);

describe('rasterType', () => {
	it.each([
		['image/png', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0])],
		['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
		['image/gif', bytes('GIF89a', [1, 0])],
		['image/gif', bytes('GIF87a')],
		['image/webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
		['image/avif', bytes([0, 0, 0, 0x20], 'ftypavif')]
	])('knows %s by its first bytes', (type, data) => {
		expect(rasterType(data)).toBe(type);
	});

	it.each([
		['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg">')],
		['HTML', bytes('<!doctype html><script>')],
		['a truncated PNG signature', bytes([0x89], 'PNG')],
		['nothing', bytes()],
		['a RIFF that is not WebP', bytes('RIFF', [0, 0, 0, 0], 'WAVE')]
	])('refuses %s', (_, data) => {
		expect(rasterType(data)).toBeUndefined();
	});
});

describe('asRaster', () => {
	it('re-types a blob by its bytes, whatever type it claimed', async () => {
		const gif = new Blob([bytes('GIF89a', [1, 0, 1, 0])], { type: 'text/html' });
		const got = await asRaster(gif);
		expect(got?.type).toBe('image/gif');
		expect(new Uint8Array(await (got as Blob).arrayBuffer())).toEqual(
			new Uint8Array(await gif.arrayBuffer())
		);
	});

	it('gives nothing for an SVG that calls itself a PNG', async () => {
		expect(await asRaster(new Blob(['<svg onload="alert(1)"/>'], { type: 'image/png' }))).toBe(
			undefined
		);
	});
});
