/**
 * Gateway-sized model catalogs: 300 realistic ids across families, native and aggregator
 * spellings (`vendor/model`) and dated snapshots, listed under `/catalog-300/v1/models`; any size
 * under `/catalog-<n>/v1/models` (the first n of those 300, then fine-tunes of them, as an
 * aggregator with hundreds of thousands of models lists). None names a behaviour in models.ts, so
 * chatting with any of them echoes.
 */

const BASES: Array<[vendor: string, models: string[]]> = [
	[
		'openai',
		[
			'gpt-4o',
			'gpt-4o-mini',
			'gpt-4-turbo',
			'gpt-4',
			'gpt-3.5-turbo',
			'gpt-4.1',
			'gpt-4.1-mini',
			'gpt-4.1-nano',
			'gpt-5',
			'gpt-5-mini',
			'chatgpt-4o-latest',
			'o1',
			'o1-mini',
			'o3',
			'o3-mini',
			'o4-mini'
		]
	],
	[
		'anthropic',
		[
			'claude-3-5-sonnet',
			'claude-3-5-haiku',
			'claude-3-7-sonnet',
			'claude-3-opus',
			'claude-3-haiku',
			'claude-sonnet-4',
			'claude-opus-4'
		]
	],
	[
		'deepseek',
		['deepseek-chat', 'deepseek-reasoner', 'deepseek-coder', 'deepseek-v3', 'deepseek-r1']
	],
	[
		'qwen',
		[
			'qwen2.5-72b-instruct',
			'qwen2.5-32b-instruct',
			'qwen2.5-coder-32b-instruct',
			'qwen-max',
			'qwen-plus',
			'qwen-turbo',
			'qwen3-235b-a22b',
			'qwq-32b'
		]
	],
	[
		'google',
		[
			'gemini-1.5-pro',
			'gemini-1.5-flash',
			'gemini-2.0-flash',
			'gemini-2.5-pro',
			'gemini-2.5-flash',
			'gemma-2-27b-it'
		]
	],
	[
		'meta-llama',
		[
			'llama-3.1-8b-instruct',
			'llama-3.1-70b-instruct',
			'llama-3.1-405b-instruct',
			'llama-3.3-70b-instruct'
		]
	],
	[
		'mistralai',
		['mistral-large', 'mistral-medium', 'mistral-small', 'mixtral-8x7b-instruct', 'codestral']
	],
	['x-ai', ['grok-2', 'grok-3', 'grok-3-mini']],
	['cohere', ['command-r', 'command-r-plus']],
	['zhipu', ['glm-4', 'glm-4-plus']],
	['moonshot', ['moonshot-v1-8k', 'moonshot-v1-32k', 'kimi-k2']]
];

const SNAPSHOTS = ['2024-08-06', '2024-11-20', '2025-04-14'];

function generate(): string[] {
	const ids = new Set<string>();
	for (const [vendor, models] of BASES)
		for (const model of models) {
			ids.add(model);
			ids.add(`${vendor}/${model}`);
		}
	// Dated snapshots fill the catalog up, as real gateways list them.
	for (const date of SNAPSHOTS)
		for (const [, models] of BASES) for (const model of models) ids.add(`${model}-${date}`);
	const all = [...ids];
	if (all.length < 300) throw new Error(`catalog has only ${all.length} ids`);
	return all.slice(0, 300);
}

export const CATALOG_300: readonly string[] = generate();

/** Far above any real gateway: a typo in a test path must not build a list that eats the heap. */
export const MAX_CATALOG = 1_000_000;

/**
 * `n` distinct ids: CATALOG_300's first ones, then `vendor/model:ft-<k>` fine-tunes of them.
 * The same for the same `n` (a test can name an id it will find).
 */
export function catalog(n: number): string[] {
	const ids = CATALOG_300.slice(0, n);
	const bases = CATALOG_300.filter((id) => id.includes('/'));
	for (let k = 0; ids.length < n; k++)
		ids.push(`${bases[k % bases.length]}:ft-${Math.floor(k / bases.length).toString(36)}`);
	return ids;
}
