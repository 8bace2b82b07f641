/** Tabs tell each other which conversation they wrote: two channels in one Node process. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TabChannel, type ChatChange } from '../../src/lib/tabs.ts';

const open: TabChannel[] = [];
afterEach(() => open.splice(0).forEach((c) => c.close()));

function tab(name: string, heard: ChatChange[]): TabChannel {
	const channel = new TabChannel((c) => heard.push(c), name);
	open.push(channel);
	return channel;
}

describe('TabChannel', () => {
	it('tells the other tab which conversation changed, by whom and in what order', async () => {
		const name = `test-${Math.random()}`;
		const heardByA: ChatChange[] = [];
		const heardByB: ChatChange[] = [];
		const a = tab(name, heardByA);
		tab(name, heardByB);
		a.announce('c1');
		a.announce('c2');
		await vi.waitFor(() => expect(heardByB).toHaveLength(2));
		expect(heardByB).toEqual([
			{ type: 'chat-changed', conversationId: 'c1', tab: a.tab, seq: 1 },
			{ type: 'chat-changed', conversationId: 'c2', tab: a.tab, seq: 2 }
		]);
		expect(heardByA).toEqual([]);
	});

	it('ignores messages that are not announcements', async () => {
		const name = `test-${Math.random()}`;
		const heard: ChatChange[] = [];
		tab(name, heard);
		const raw = new BroadcastChannel(name);
		raw.postMessage({ type: 'chat-changed', conversationId: 5 });
		raw.postMessage('hello');
		const b = tab(name, heard);
		b.announce('c3');
		await vi.waitFor(() => expect(heard).toHaveLength(1));
		expect(heard[0]?.conversationId).toBe('c3');
		raw.close();
	});
});
