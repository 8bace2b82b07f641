import type { SwitchboardDb } from './schema.ts';
import type { PresetRow } from './rows.ts';
import { newId } from '../util/id.ts';

export function listPresets(db: SwitchboardDb): Promise<PresetRow[]> {
	return db.presets.orderBy('name').toArray();
}

/** Saving under an existing name overwrites that preset. */
export async function savePreset(
	db: SwitchboardDb,
	p: Omit<PresetRow, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }
): Promise<PresetRow> {
	return db.transaction('rw', db.presets, async () => {
		const existing = p.id
			? await db.presets.get(p.id)
			: await db.presets.where('name').equals(p.name).first();
		const now = Date.now();
		const row: PresetRow = {
			...p,
			id: existing?.id ?? p.id ?? newId(),
			createdAt: existing?.createdAt ?? now,
			updatedAt: now
		};
		await db.presets.put(row);
		return row;
	});
}

export async function deletePreset(db: SwitchboardDb, id: string): Promise<void> {
	await db.presets.delete(id);
}

/** A new name for a preset; refused (false) when another preset already has that name. */
export async function renamePreset(db: SwitchboardDb, id: string, name: string): Promise<boolean> {
	return db.transaction('rw', db.presets, async () => {
		const clash = await db.presets.where('name').equals(name).first();
		if (clash && clash.id !== id) return false;
		return (await db.presets.update(id, { name, updatedAt: Date.now() })) === 1;
	});
}

/** Put back a deleted preset as it was (undo). */
export async function restorePreset(db: SwitchboardDb, row: PresetRow): Promise<void> {
	await db.presets.put(row);
}
