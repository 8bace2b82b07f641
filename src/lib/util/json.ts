/** Pretty-print JSON text; text that is not (yet) valid JSON, e.g. mid-stream, is shown as it is. */
export function prettyJson(text: string): string {
	try {
		return JSON.stringify(JSON.parse(text), null, 2);
	} catch {
		return text;
	}
}
