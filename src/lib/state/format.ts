import type { ParamValues } from '../wire/types.ts';

/**
 * What the answer should be checked against: undefined when no JSON was asked for,
 * `{}` for JSON mode (any JSON), the schema for json_schema.
 */
export function expectedJson(
	params: ParamValues
): { schema?: Record<string, unknown> } | undefined {
	const format = params.response_format;
	if (format === 'json_object') return {};
	if (format !== 'json_schema') return undefined;
	try {
		const parsed: unknown = JSON.parse(String(params.response_schema ?? ''));
		if (typeof parsed !== 'object' || parsed === null) return {};
		const o = parsed as Record<string, unknown>;
		const inner = o.schema;
		return {
			schema: typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : o
		};
	} catch {
		return {};
	}
}

/** How a column's chip names an endpoint without a preset: its host, or what was typed. */
export function endpointLabel(baseUrl: string): string {
	const trimmed = baseUrl.trim();
	if (!trimmed) return '—';
	try {
		return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`).host;
	} catch {
		return trimmed;
	}
}

/** A link the page may offer to open: http(s) only, never `javascript:` or `data:`. */
export function isOpenableUrl(url: string): boolean {
	return /^https?:\/\//i.test(url.trim());
}

/** A time into the audio: `1:05.2` (minutes, seconds to a tenth). */
export function secondsLabel(seconds: number): string {
	const whole = Math.max(0, seconds);
	const minutes = Math.floor(whole / 60);
	return `${minutes}:${(whole - minutes * 60).toFixed(1).padStart(4, '0')}`;
}
