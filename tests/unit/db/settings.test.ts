import { describe, expect, it } from 'vitest';
import { getSetting, setSetting } from '../../../src/lib/db/settings.ts';
import { freshDb } from './helpers.ts';

describe('settings', () => {
	it('returns the fallback until set, stores structured values, deletes on undefined', async () => {
		const { db } = freshDb();
		expect(await getSetting(db, 'theme', 'light')).toBe('light');
		await setSetting(db, 'theme', 'dark');
		expect(await getSetting(db, 'theme', 'light')).toBe('dark');
		await setSetting(db, 'layout', { columns: 3, wrap: true });
		expect(await getSetting(db, 'layout', {})).toEqual({ columns: 3, wrap: true });
		await setSetting(db, 'zero', 0);
		expect(await getSetting(db, 'zero', 5)).toBe(0);
		await setSetting(db, 'nothing', null);
		expect(await getSetting<string | null>(db, 'nothing', 'fb')).toBeNull();
		await setSetting(db, 'theme', undefined);
		expect(await getSetting(db, 'theme', 'light')).toBe('light');
		expect(await db.settings.get('theme')).toBeUndefined();
		expect(await db.settings.count()).toBe(3);
	});
});
