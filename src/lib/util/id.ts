/** A random id for rows and columns (crypto.randomUUID needs a secure context; file:// and plain http hosts lack it). */
export function newId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
