/**
 * The body of `GET /models` → model ids, unique and sorted; undefined when it is no model list.
 * An id with a line break is left out: nobody can type it in Model, and the worker hands the
 * ids over one per line. Pure: runs in the page for small lists and in a worker for big ones
 * (see models.ts).
 */
export function parseModelList(text: string): string[] | undefined {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return undefined;
	}
	const list = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
	if (!Array.isArray(list)) return undefined;
	const ids = list
		.map((m: unknown) => (typeof m === 'string' ? m : (m as { id?: unknown } | null)?.id))
		.filter((id): id is string => typeof id === 'string' && !id.includes('\n'));
	return [...new Set(ids)].sort((a, b) => a.localeCompare(b));
}
