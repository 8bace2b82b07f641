/** ColumnState on its own: verbs, the change hook, and the questions views ask. */
import { describe, expect, it, vi } from 'vitest';
import { ColumnState, DETACHED } from '../../../src/lib/state/column.svelte.ts';
import { DEMO_PRESET } from '../../../src/lib/state/presets.svelte.ts';
import type { PresetRow } from '../../../src/lib/db/rows.ts';
import { FAKE_BASE_URL, useFakeFetch } from './fakes.ts';

const host = (touch = () => {}) => ({
	...DETACHED,
	conversationId: 'conv',
	touch,
	imageUrl: (id: string) => Promise.resolve(id)
});

const preset: PresetRow = {
	id: 'p1',
	name: 'GW',
	endpoint: { ...DEMO_PRESET.endpoint, baseUrl: FAKE_BASE_URL, apiKey: 'sk-p' },
	model: 'gpt',
	params: { temperature: '0.4' },
	prices: { input: 3 },
	createdAt: 1,
	updatedAt: 1
};

describe('editing', () => {
	it('every edit reports to the change hook; editing leaves the demo preset', () => {
		let changes = 0;
		const column = new ColumnState(
			undefined,
			host(() => changes++)
		);
		column.applyPreset(DEMO_PRESET);
		column.setSystem('hi');
		expect(column.presetId).toBe(DEMO_PRESET.id);
		column.setParam('temperature', '0.5');
		expect(column.presetId).toBeUndefined();
		column.resetParam('temperature');
		expect(column.params.temperature).toBeUndefined();
		column.setModel('m');
		column.setEndpoint({ baseUrl: FAKE_BASE_URL });
		column.resetParams();
		expect(column.params).toEqual({});
		expect(changes).toBe(6);
	});

	it('tells when it differs from its preset', () => {
		const column = new ColumnState();
		column.pickPreset(preset);
		expect(column.differsFrom(preset)).toBe(false);
		column.setParam('temperature', '0.9');
		expect(column.differsFrom(preset)).toBe(true);
		column.setParam('temperature', '0.4');
		column.setParam('seed', '');
		expect(column.differsFrom(preset)).toBe(false);
	});
});

describe('startFrom (New chat)', () => {
	it('takes the connection, the preset’s parameters and delivery, no system prompt or label', () => {
		const from = new ColumnState();
		from.pickPreset(preset);
		from.setModel('gpt-2');
		from.setParam('temperature', '1.9');
		from.setParam('stream', true);
		from.setSystem('sys');
		from.setLabel('temperature 1.9');
		const column = new ColumnState();
		column.startFrom(from, preset);
		expect(column.toRow()).toEqual({
			id: column.id,
			presetId: 'p1',
			label: undefined,
			endpoint: { ...preset.endpoint },
			model: 'gpt-2',
			params: { temperature: '0.4', stream: true },
			system: '',
			prices: { input: 3 }
		});
		// A copy: editing the new column leaves the preset and the old column alone.
		column.setEndpoint({ apiKey: 'other' });
		expect(preset.endpoint.apiKey).toBe('sk-p');
		expect(from.endpoint.apiKey).toBe('sk-p');
	});
});

describe('run', () => {
	it('a failed answer can be retried; a stopped one keeps its status and is not failed', async () => {
		let release = () => {};
		const wait = new Promise<void>((r) => (release = r));
		useFakeFetch({ status: 503, error: 'busy' }, { wait, content: 'late' });
		const column = new ColumnState(undefined, host());
		column.setEndpoint({ baseUrl: FAKE_BASE_URL });
		column.setModel('m');
		column.append({
			id: 'u1',
			conversationId: 'conv',
			columnId: column.id,
			seq: 1,
			role: 'user',
			content: 'hi',
			createdAt: 1,
			updatedAt: 1
		});
		const failed = await column.run();
		expect(failed?.status).toBe('failed');
		expect(failed?.error?.status).toBe(503);
		expect(column.failed).toBe(true);
		expect(column.canRetry).toBe(true);

		const running = column.run();
		await vi.waitFor(() => expect(column.streaming).toBe(true));
		expect(column.canRetry).toBe(false);
		expect(await column.run()).toBeUndefined();
		column.stop();
		const stopped = await running;
		release();
		expect(stopped?.status).toBe('stopped');
		expect(column.streaming).toBe(false);
		expect(column.failed).toBe(false);
	});

	it('refuses to send a bad parameter and says where', async () => {
		const wire = useFakeFetch({ content: 'x' });
		const column = new ColumnState();
		column.setEndpoint({ baseUrl: FAKE_BASE_URL });
		column.setModel('m');
		column.setParam('top_p', '7');
		expect(await column.run()).toBeUndefined();
		expect(column.errors.top_p).toBeDefined();
		expect(wire.sent).toEqual([]);
	});
});
