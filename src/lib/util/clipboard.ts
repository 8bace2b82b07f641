/** Copy text; false when the browser refuses (e.g. no permission on an insecure origin). */
export async function copyText(text: string): Promise<boolean> {
	try {
		await navigator.clipboard.writeText(text);
		return true;
	} catch {
		return false;
	}
}
