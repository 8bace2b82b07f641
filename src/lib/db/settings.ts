import type { SwitchboardDb } from './schema.ts';

export async function getSetting<T>(db: SwitchboardDb, key: string, fallback: T): Promise<T> {
	const row = await db.settings.get(key);
	return row === undefined ? fallback : (row.value as T);
}

export async function setSetting(db: SwitchboardDb, key: string, value: unknown): Promise<void> {
	if (value === undefined) await db.settings.delete(key);
	else await db.settings.put({ key, value });
}
