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

const CODE_LINES = [
	'export function parse(input: string, options: Options = {}): Result {',
	'\tconst tokens = input.split(/\\s+/).filter(Boolean); // split on whitespace, drop empties',
	'\tlet total = 0;',
	'\tfor (const token of tokens) {',
	"\t\tif (token.startsWith('#')) continue;",
	'\t\t/* a block comment, to keep the grammar honest */',
	'\t\ttotal += Number.parseFloat(token) * (options.scale ?? 1);',
	'\t}',
	'\treturn { total, count: tokens.length, label: `parsed ${tokens.length} tokens` };',
	'}',
	''
];

/** One fenced TypeScript block of about `bytes` characters: a long generated file. */
export function codeBlock(bytes: number): string {
	let body = '';
	for (let i = 0; body.length < bytes; i++) body += `${CODE_LINES[i % CODE_LINES.length]}\n`;
	return `\`\`\`ts\n${body}\`\`\`\n`;
}

/** One paragraph, no blank line, with inline marks throughout. */
export function longParagraph(bytes: number): string {
	const words = [
		'the',
		'**renderer**',
		'keeps',
		'*finished*',
		'blocks',
		'and',
		'`code`',
		'spans',
		'with',
		'[links](https://example.com/a)',
		'to',
		'~~old~~',
		'text'
	];
	let out = '';
	for (let i = 0; out.length < bytes; i++) out += `${words[i % words.length]} `;
	return `${out.trimEnd()}\n`;
}

/** A paragraph of `count` emphasis markers that never close: marked's worst inline case. */
export function markerParagraph(count: number): string {
	return `${'*a '.repeat(count).trimEnd()}\n`;
}

/** One tight list of `count` items. */
export function longList(count: number): string {
	let out = '';
	for (let i = 0; i < count; i++) out += `- item ${i} with \`code\` and *emphasis*\n`;
	return out;
}

/** A GFM table of `rows` rows and `cols` columns. */
export function table(rows: number, cols: number): string {
	const line = (cell: (c: number) => string) =>
		`| ${Array.from({ length: cols }, (_, c) => cell(c)).join(' | ')} |\n`;
	let out = line((c) => `h${c}`) + line((c) => (c % 2 ? '---:' : '---'));
	for (let r = 0; r < rows; r++) out += line((c) => `r${r}c${c}`);
	return out;
}

/** Paragraphs that each use a label defined only after them: every definition arrives late. */
export function lateDefinitions(bytes: number): string {
	let out = '';
	for (let i = 0; out.length < bytes; i++)
		out += `Paragraph ${i} cites [the source][r${i}] and says a little more about it.\n\n[r${i}]: https://example.com/${i}\n\n`;
	return out;
}
