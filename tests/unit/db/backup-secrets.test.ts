import { describe, expect, it } from 'vitest';
import { savePreset } from '../../../src/lib/db/presets.ts';
import { putConversation } from '../../../src/lib/db/conversations.ts';
import { exportAll } from '../../../src/lib/db/backup.ts';
import { conv, endpointWith, freshDb } from './helpers.ts';

const HEADERS =
	'Authorization: Bearer tok-auth-1\nX-Org: acme\nCookie: sid=tok-cookie-2\nx-api-key: tok-key-3';

describe('a backup without keys', () => {
	it('leaves out the values of secret extra headers, in presets and columns', async () => {
		const { db } = freshDb();
		await savePreset(db, {
			name: 'main',
			endpoint: { ...endpointWith('sk-preset'), extraHeaders: HEADERS },
			model: 'gpt',
			params: {}
		});
		const c = conv('c1', 1);
		await putConversation(db, {
			...c,
			columns: c.columns.map((col) => ({
				...col,
				endpoint: { ...col.endpoint, extraHeaders: HEADERS }
			}))
		});
		const without = await (await exportAll(db, { includeKeys: false })).text();
		expect(without).not.toMatch(/tok-|sk-/);
		expect(without).toContain(JSON.stringify('Authorization:\nX-Org: acme\nCookie:\nx-api-key:'));
		const withKeys = await (await exportAll(db, { includeKeys: true })).text();
		expect(withKeys).toContain(JSON.stringify(HEADERS));
	});
});
