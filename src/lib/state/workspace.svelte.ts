import type { MessageKey } from '../i18n/index.ts';
import type { Message } from '../util/message.ts';

/** What a column's side panel shows. */
export type PanelKind = 'params' | 'tools' | 'raw' | 'code';

/** A notice under the header: what happened, optionally with an action (e.g. Undo). */
export interface Notice {
	message: Message;
	tone: 'info' | 'error';
	/** `data-part` of the notice, for tests and styling (e.g. `import-result`). */
	part?: string;
	action?: { labelKey: MessageKey; run: () => void };
}

/**
 * The layout of the workspace: which side panel, popover, drawer or dialog is open, and the
 * notice shown. One side panel and one endpoint popover at a time, so the answers stay in view.
 */
export class Workspace {
	/** The chat (columns and composer) or the experiment view. */
	#view = $state<'chat' | 'experiment'>('chat');
	#panel = $state.raw<{ columnId: string; kind: PanelKind } | undefined>();
	#endpointFor = $state<string | undefined>();
	#historyOpen = $state(false);
	#settingsOpen = $state(false);
	#notice = $state.raw<Notice | undefined>();
	#compareOpen = $state(false);

	get view(): 'chat' | 'experiment' {
		return this.#view;
	}

	/** Switching views closes what belonged to the other one. */
	showView(view: 'chat' | 'experiment'): void {
		if (view === this.#view) return;
		this.#view = view;
		this.#panel = undefined;
		this.#endpointFor = undefined;
	}

	get panel(): { columnId: string; kind: PanelKind } | undefined {
		return this.#panel;
	}

	/** The panel `kind` of this column, or none if another is open. */
	panelOf(columnId: string): PanelKind | undefined {
		return this.#panel?.columnId === columnId ? this.#panel.kind : undefined;
	}

	/** Open the column's panel at `kind`; the same button again closes it. */
	togglePanel(columnId: string, kind: PanelKind): void {
		const same = this.#panel?.columnId === columnId && this.#panel.kind === kind;
		this.#panel = same ? undefined : { columnId, kind };
	}

	closePanel(): void {
		this.#panel = undefined;
	}

	get endpointFor(): string | undefined {
		return this.#endpointFor;
	}

	toggleEndpoint(columnId: string): void {
		this.#endpointFor = this.#endpointFor === columnId ? undefined : columnId;
	}

	closeEndpoint(): void {
		this.#endpointFor = undefined;
	}

	get historyOpen(): boolean {
		return this.#historyOpen;
	}

	toggleHistory(open = !this.#historyOpen): void {
		this.#historyOpen = open;
	}

	get settingsOpen(): boolean {
		return this.#settingsOpen;
	}

	toggleSettings(open = !this.#settingsOpen): void {
		this.#settingsOpen = open;
	}

	/** The comparison table above the columns: folded by default, to leave room for answers. */
	get compareOpen(): boolean {
		return this.#compareOpen;
	}

	toggleCompare(open = !this.#compareOpen): void {
		this.#compareOpen = open;
	}

	get notice(): Notice | undefined {
		return this.#notice;
	}

	notify(notice: Notice): void {
		this.#notice = notice;
	}

	dismiss(): void {
		this.#notice = undefined;
	}

	/** A column went away: its panel and popover go with it. */
	forget(columnId: string): void {
		if (this.#panel?.columnId === columnId) this.#panel = undefined;
		if (this.#endpointFor === columnId) this.#endpointFor = undefined;
	}
}
