/** A long, realistic markdown answer: headings, prose, lists, code and tables, repeated to size. */
const SECTION = (i: number) => `## Part ${i}: streaming notes

The renderer keeps finished blocks and re-renders only the **open tail**, so an update costs about
the same at the end of a long answer as at its start. See [the docs](https://example.com/docs/${i}).

- first point with \`inline code\` and *emphasis*
- second point, a little longer, to wrap across the column on narrow screens
  - a nested item
- third point

\`\`\`ts
export function sum${i}(values: number[]): number {
	let total = 0;
	for (const v of values) total += v * ${i};
	return total;
}
\`\`\`

| Model | TTFT | Tokens/s |
| --- | ---: | ---: |
| alpha-${i} | 120 ms | 85 |
| beta-${i} | 340 ms | 142 |

> A quoted remark, to keep blockquotes in the mix.

\`\`\`python
def mean_${i}(xs):
    return sum(xs) / len(xs) if xs else 0.0
\`\`\`

`;

export function bigMarkdown(bytes: number): string {
	let out = '';
	for (let i = 0; out.length < bytes; i++) out += SECTION(i);
	return out.slice(0, bytes);
}
