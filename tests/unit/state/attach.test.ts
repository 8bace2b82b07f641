import { describe, expect, it } from 'vitest';
import { attachFiles } from '../../../src/lib/state/attach.ts';
import { image, SVG_WITH_SCRIPT } from '../util/images.ts';

describe('attachFiles', () => {
	it('attaches raster images typed by their bytes and names every other file, refused', async () => {
		const png = await image('png', [1, 2, 3]);
		const { added, refused } = await attachFiles([
			new File([SVG_WITH_SCRIPT], 'evil.svg', { type: 'image/svg+xml' }),
			new File([SVG_WITH_SCRIPT], 'fake.png', { type: 'image/png' }),
			new File([png], 'real.svg', { type: 'image/svg+xml' }),
			new File(['<html><script>alert(1)</script>'], 'page.gif', { type: 'image/gif' })
		]);
		expect(refused).toEqual(['evil.svg', 'fake.png', 'page.gif']);
		expect(added.map((a) => a.kind === 'file' && [a.name, a.blob.type, a.blob.size])).toEqual([
			['real.svg', 'image/png', png.size]
		]);
	});
});
