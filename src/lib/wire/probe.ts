/**
 * After a failed fetch the browser hides why. An opaque no-cors GET tells the two usual causes
 * apart: it resolves when the server answers (so CORS refused us) and rejects when nothing
 * listens (closed port, wrong host, offline). It carries no key and no body.
 */
export async function probe(url: string, doFetch: typeof fetch): Promise<boolean | undefined> {
	if (typeof window === 'undefined') return undefined;
	try {
		await doFetch(url, { mode: 'no-cors', method: 'GET', signal: AbortSignal.timeout(3000) });
		return true;
	} catch {
		return false;
	}
}
