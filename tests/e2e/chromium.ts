/** Which Chromium the journeys, bench and screenshots drive, and how it is started. */

/** Debian's Chromium by default; `CHROMIUM_PATH` points at another (e.g. a local Chrome). */
export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * No sandbox (CI runs as root), no GPU, and no background connections: the machine's closed
 * network refuses them, many at a time.
 */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--no-first-run',
	'--disable-sync',
	'--disable-quic'
];
