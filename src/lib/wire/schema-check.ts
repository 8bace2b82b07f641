/** Is an answer the JSON its schema asks for? Eval-free, so it runs under our CSP. */
import { Validator } from '@cfworker/json-schema';

export type JsonVerdict =
	{ ok: true } | { ok: false; errors: Array<{ path: string; message: string }> };

export function checkJson(text: string, schema?: Record<string, unknown>): JsonVerdict {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (err) {
		return {
			ok: false,
			errors: [{ path: '', message: err instanceof Error ? err.message : String(err) }]
		};
	}
	if (!schema) return { ok: true };
	const result = new Validator(schema, '2020-12', false).validate(value);
	if (result.valid) return { ok: true };
	return {
		ok: false,
		errors: result.errors
			.filter((e) => e.keyword !== 'properties' && e.keyword !== 'items' && e.keyword !== 'allOf')
			.slice(0, 5)
			.map((e) => ({ path: e.instanceLocation.replace(/^#/, '') || '/', message: e.error }))
	};
}
