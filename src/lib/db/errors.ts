/** Storage failures → what the user should read; persistence; other tabs upgrading. */
import type { Message } from '../util/message.ts';
import type { SwitchboardDb } from './schema.ts';

function isQuota(err: unknown, depth = 0): boolean {
	if (depth > 4 || typeof err !== 'object' || err === null) return false;
	const e = err as { name?: unknown; inner?: unknown; cause?: unknown };
	if (e.name === 'QuotaExceededError') return true;
	// Dexie wraps the real cause (AbortError → inner QuotaExceededError) when a transaction aborts.
	return isQuota(e.inner, depth + 1) || isQuota(e.cause, depth + 1);
}

export function storageError(err: unknown): Message | undefined {
	if (isQuota(err)) return { key: 'db.error.quota' };
	if (typeof err === 'object' && err !== null && 'name' in err) {
		const e = err as { name: string; message?: string };
		return { key: 'db.error.other', vars: { name: e.name, detail: e.message ?? '' } };
	}
	return undefined;
}

export async function requestPersistence(): Promise<'granted' | 'denied' | 'unsupported'> {
	if (typeof navigator === 'undefined' || !navigator.storage?.persist) return 'unsupported';
	try {
		if (await navigator.storage.persisted()) return 'granted';
		return (await navigator.storage.persist()) ? 'granted' : 'denied';
	} catch {
		return 'unsupported';
	}
}

/** Another tab opened a newer schema: close cleanly so it can upgrade, and tell the user. */
export function onVersionChange(db: SwitchboardDb, cb: () => void): void {
	db.on('versionchange', () => {
		db.close();
		cb();
		return false;
	});
}
