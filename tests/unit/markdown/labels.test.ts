/** The renderer's translated labels follow a language switch. */
import { describe, expect, it } from 'vitest';
import { assemble, StreamingRenderer, type Block } from '../../../src/lib/markdown/streaming.ts';

// Node has no DOM: structure is checked without DOMPurify (the journeys run it for real).
const identity = (html: string) => html;
const text = 'Intro.\n\n```\ncode\n```\n\nAfter the code.\n\nMore.';

const html = (blocks: Block[]) => blocks.map(assemble).join('');

describe('StreamingRenderer.setLabels', () => {
	it('renders finished blocks again with the new Copy label', () => {
		const r = new StreamingRenderer({ sanitize: identity, copyLabel: 'Copy' });
		r.update(text);
		expect(html(r.finish(text))).toContain('>Copy</button>');
		r.setLabels({ copyLabel: '复制', loadImageLabel: '远程图片' });
		const after = html(r.finish(text));
		expect(after).toContain('>复制</button>');
		expect(after).not.toContain('>Copy</button>');
	});

	it('keeps the blocks (and their keys) that do not carry a label', () => {
		const r = new StreamingRenderer({ sanitize: identity, copyLabel: 'Copy' });
		const before = r.finish(text);
		r.setLabels({ copyLabel: 'Kopieren' });
		const after = r.finish(text);
		expect(after.map((b) => b.key)).toHaveLength(before.length);
		expect(after[0]?.key).toBe(before[0]?.key);
		const code = before.findIndex((b) => b.html.includes('copy-code'));
		expect(after[code]?.key).not.toBe(before[code]?.key);
	});

	it('changes nothing when the labels are the same', () => {
		const r = new StreamingRenderer({ sanitize: identity, copyLabel: 'Copy' });
		const before = r.finish(text);
		r.setLabels({ copyLabel: 'Copy' });
		expect(r.finish(text)).toEqual(before);
	});
});
