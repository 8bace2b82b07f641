import {
	deletePreset,
	listPresets,
	renamePreset,
	restorePreset,
	savePreset
} from '../db/presets.ts';
import type { SwitchboardDb } from '../db/schema.ts';
import type { PresetRow } from '../db/rows.ts';
import { DEFAULT_ENDPOINT } from '../wire/endpoint.ts';
import { DEMO_BASE_URL, DEMO_MODEL } from '../wire/demo.ts';

export const DEMO_PRESET_ID = 'demo';

/** Built in, never stored: a newcomer chats at once, without a key or network. */
export const DEMO_PRESET: PresetRow = {
	id: DEMO_PRESET_ID,
	name: 'Demo (offline)',
	endpoint: { ...DEFAULT_ENDPOINT, baseUrl: DEMO_BASE_URL },
	model: DEMO_MODEL,
	params: { stream: true, include_usage: true },
	createdAt: 0,
	updatedAt: 0
};

/** Saved endpoint presets, plus the built-in demo. */
export class Presets {
	#db: SwitchboardDb;
	#saved = $state.raw<PresetRow[]>([]);

	constructor(db: SwitchboardDb) {
		this.#db = db;
	}

	/** The demo first, then saved presets by name. */
	get list(): PresetRow[] {
		return [DEMO_PRESET, ...this.#saved];
	}

	find(id: string | undefined): PresetRow | undefined {
		return this.list.find((p) => p.id === id);
	}

	async load(): Promise<void> {
		this.#saved = await listPresets(this.#db);
	}

	async save(preset: Omit<PresetRow, 'id' | 'createdAt' | 'updatedAt'>): Promise<PresetRow> {
		const row = await savePreset(this.#db, $state.snapshot(preset));
		await this.load();
		return row;
	}

	/** False when the name is empty, taken, or the preset is the built-in demo. */
	async rename(id: string, name: string): Promise<boolean> {
		const trimmed = name.trim();
		if (!trimmed || id === DEMO_PRESET_ID) return false;
		const ok = await renamePreset(this.#db, id, trimmed);
		await this.load();
		return ok;
	}

	/** A copy named `<name> (copy)`, `<name> (copy 2)`, …; returns it. */
	async duplicate(id: string): Promise<PresetRow | undefined> {
		const source = this.find(id);
		if (!source) return undefined;
		const taken = this.list.map((p) => p.name);
		let name = `${source.name} (copy)`;
		for (let n = 2; taken.includes(name); n++) name = `${source.name} (copy ${n})`;
		const { endpoint, model, params, prices } = source;
		return this.save({ name, endpoint, model, params, prices });
	}

	/** Deletes a saved preset and returns it, for an undo. */
	async remove(id: string): Promise<PresetRow | undefined> {
		const row = this.#saved.find((p) => p.id === id);
		if (!row) return undefined;
		await deletePreset(this.#db, id);
		await this.load();
		return row;
	}

	async restore(row: PresetRow): Promise<void> {
		await restorePreset(this.#db, $state.snapshot(row));
		await this.load();
	}
}
