/**
 * Tabs of the app on one browser profile tell each other which conversation they just wrote,
 * so a tab showing it knows its copy is stale before it sends a thread another tab has
 * already moved on.
 */
import { newId } from './util/id.ts';

export const TAB_CHANNEL = 'switchboard';

/** "Conversation X changed": sent after the write, by tab `tab`, its `seq`-th announcement. */
export interface ChatChange {
	type: 'chat-changed';
	conversationId: string;
	tab: string;
	seq: number;
}

function isChange(v: unknown): v is ChatChange {
	if (typeof v !== 'object' || v === null) return false;
	const c = v as Record<string, unknown>;
	return (
		c.type === 'chat-changed' &&
		typeof c.conversationId === 'string' &&
		typeof c.tab === 'string' &&
		typeof c.seq === 'number'
	);
}

export class TabChannel {
	/** This tab, so it never takes its own announcement for another tab's. */
	readonly tab = newId();
	#seq = 0;
	#channel: BroadcastChannel | undefined;

	/** Without BroadcastChannel (old browsers) a tab simply hears nothing. */
	constructor(onChange: (change: ChatChange) => void, name = TAB_CHANNEL) {
		if (typeof BroadcastChannel === 'undefined') return;
		this.#channel = new BroadcastChannel(name);
		this.#channel.onmessage = (e: MessageEvent) => {
			if (isChange(e.data) && e.data.tab !== this.tab) onChange(e.data);
		};
		// Node (unit tests) would otherwise stay alive for an open channel.
		(this.#channel as { unref?: () => void }).unref?.();
	}

	/** Tell the other tabs this conversation was just written. */
	announce(conversationId: string): void {
		const change: ChatChange = {
			type: 'chat-changed',
			conversationId,
			tab: this.tab,
			seq: ++this.#seq
		};
		this.#channel?.postMessage(change);
	}

	close(): void {
		this.#channel?.close();
		this.#channel = undefined;
	}
}
