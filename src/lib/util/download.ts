/** Hand a file to the browser's download, as a click on a link would. */
export function saveFile(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.click();
	// The download has started long before; the URL is only needed until then.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
