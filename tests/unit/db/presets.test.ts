import { afterEach, describe, expect, it, vi } from 'vitest';
import { deletePreset, listPresets, savePreset } from '../../../src/lib/db/presets.ts';
import { endpointWith, freshDb } from './helpers.ts';

afterEach(() => {
	vi.useRealTimers();
});

describe('presets', () => {
	it('saves with fresh id and timestamps', async () => {
		const { db } = freshDb();
		const saved = await savePreset(db, {
			name: 'GPT',
			endpoint: endpointWith('k'),
			model: 'gpt',
			params: { temperature: '0.2' }
		});
		expect(saved.id).toMatch(/.+/);
		expect(saved.createdAt).toBe(saved.updatedAt);
		expect(await db.presets.get(saved.id)).toEqual(saved);
	});

	it('overwrites a preset saved under the same name, keeping id and createdAt', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(1_000);
		const { db } = freshDb();
		const first = await savePreset(db, {
			name: 'same',
			endpoint: endpointWith('k1'),
			model: 'a',
			params: {}
		});
		vi.setSystemTime(2_000);
		const second = await savePreset(db, {
			name: 'same',
			endpoint: endpointWith('k2'),
			model: 'b',
			params: { top_p: '0.9' }
		});
		expect(second.id).toBe(first.id);
		expect(second.createdAt).toBe(1_000);
		expect(second.updatedAt).toBe(2_000);
		const all = await listPresets(db);
		expect(all).toHaveLength(1);
		expect(all[0]).toMatchObject({ model: 'b', params: { top_p: '0.9' } });
		expect(all[0]?.endpoint.apiKey).toBe('k2');
	});

	it('lists by name and deletes one', async () => {
		const { db } = freshDb();
		for (const name of ['delta', 'alpha', 'charlie', 'bravo'])
			await savePreset(db, { name, endpoint: endpointWith(''), model: 'm', params: {} });
		const listed = await listPresets(db);
		expect(listed.map((p) => p.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
		const charlie = listed[2];
		if (!charlie) throw new Error('missing preset');
		await deletePreset(db, charlie.id);
		expect((await listPresets(db)).map((p) => p.name)).toEqual(['alpha', 'bravo', 'delta']);
	});
});
