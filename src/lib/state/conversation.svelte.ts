import type { ColumnRow, ConversationRow, MessageRow, StoredPart } from '../db/rows.ts';
import {
	MODES,
	type Answer,
	type ChatMessage,
	type ContentPart,
	type Mode
} from '../wire/types.ts';
import type { Message } from '../util/message.ts';
import { newId } from '../util/id.ts';
import type { RasterBlob } from '../util/raster.ts';
import { compareRows } from './compare.ts';
import { ColumnState, type ColumnHost } from './column.svelte.ts';
import { mediaAsk, storeFile, type AudioFile } from './media-turn.ts';

/** What a conversation needs from the app to persist itself. */
export interface ConversationStore {
	/** `settle: true` for settings edits: the store may wait for typing to pause. */
	saveConversation(row: ConversationRow, opts?: { settle?: boolean }): void;
	saveMessage(row: MessageRow, streaming: boolean): void;
	deleteMessages(ids: string[]): void;
	putImage(blob: RasterBlob): Promise<string>;
	/** A data: URL of a stored image; '' when it is missing or no raster image. */
	imageUrl(blobId: string): Promise<string>;
	/** A data: URL of an image not stored yet (an attachment about to be sent). */
	dataUrl(blob: RasterBlob): Promise<string>;
	/** Store a generated image, speech or an audio file to transcribe; resolves to its id. */
	putFile(blob: Blob): Promise<string>;
	/** A stored audio file; undefined when missing. */
	audio(blobId: string): Promise<Blob | undefined>;
}

/** An image waiting in the composer: a local file (checked, see attachFiles) or a URL. */
export type Attachment =
	{ kind: 'file'; blob: RasterBlob; name: string } | { kind: 'url'; url: string };

export const MAX_COLUMNS = 12;

/** A conversation: one column for a plain chat, several to compare. */
export class ConversationState {
	readonly id: string;
	readonly createdAt: number;
	#title = $state('');
	#columns = $state<ColumnState[]>([]);
	/** Saved once it has a first message, so empty chats never clutter History. */
	#persisted = $state(false);
	/** Compare mode: scroll every column's thread together. */
	#syncScroll = $state(false);
	/** On phone-width screens columns are tabs: the one shown. */
	#activeColumn = $state(0);
	#store: ConversationStore;
	#host: ColumnHost;
	/** Each column's latest settled answer side by side, best figures marked. */
	readonly comparison = $derived(
		compareRows(
			this.columns.map((c) => ({ model: c.model, prices: c.prices, answer: c.latestSettled }))
		)
	);

	constructor(store: ConversationStore, row?: ConversationRow, messages: MessageRow[] = []) {
		this.#store = store;
		this.id = row?.id ?? newId();
		this.createdAt = row?.createdAt ?? Date.now();
		this.#title = row?.title ?? '';
		this.#persisted = row !== undefined;
		this.#host = {
			conversationId: this.id,
			saveMessage: (m, streaming) => {
				this.#persist();
				store.saveMessage(m, streaming);
			},
			touch: () => this.touch(),
			imageUrl: (id) => store.imageUrl(id),
			putFile: (blob) => store.putFile(blob),
			audio: (id) => store.audio(id)
		};
		this.#columns = (row?.columns ?? [{}]).map((c) => this.#column(c));
		for (const column of this.columns) column.replaceMessages(threadOf(column, messages));
	}

	/** Every column's whole thread, read after the latest messages it opened on. */
	completeThreads(messages: MessageRow[]): void {
		for (const column of this.columns) column.completeThread(threadOf(column, messages));
	}

	/** Every column reports its edits and saves its messages here. */
	#column(row?: Partial<ColumnRow>): ColumnState {
		return new ColumnState(row, this.#host);
	}

	get title(): string {
		return this.#title;
	}

	get columns(): ColumnState[] {
		return this.#columns;
	}

	/** Saved once it has a first message, so empty chats never clutter History. */
	get persisted(): boolean {
		return this.#persisted;
	}

	/** Compare mode: scroll every column's thread together. */
	get syncScroll(): boolean {
		return this.#syncScroll;
	}

	/** On phone-width screens columns are tabs: the one shown. */
	get activeColumn(): number {
		return this.#activeColumn;
	}

	/**
	 * The title as just renamed in storage. Not saved again: the rename wrote it, and a save
	 * would move the chat to the top of History.
	 */
	setTitle(title: string): void {
		this.#title = title;
	}

	/** Phone width: show this column's tab. */
	showColumn(index: number): void {
		this.#activeColumn = Math.max(0, Math.min(index, this.columns.length - 1));
	}

	setSyncScroll(on: boolean): void {
		this.#syncScroll = on;
	}

	get canAddColumn(): boolean {
		return this.columns.length < MAX_COLUMNS;
	}

	/** How many columns a sweep of one column may make: that column and every free place. */
	get sweepRoom(): number {
		return MAX_COLUMNS - this.columns.length + 1;
	}

	get streaming(): boolean {
		return this.columns.some((c) => c.streaming);
	}

	/** The modes of the columns, each once: what the composer asks for. */
	get modes(): Mode[] {
		return MODES.filter((mode) => this.columns.some((c) => c.mode === mode));
	}

	/** Why the last Send refused what was typed (no prompt, no file), for the composer. */
	get inputProblem(): Message | undefined {
		for (const { errors: e } of this.columns) {
			const problem = e.prompt ?? e.text ?? e.file ?? e.message;
			if (problem) return problem;
		}
		return undefined;
	}

	/**
	 * The last turn of every column failed: nothing was answered, so the composer gets the
	 * message back, and the next Send replaces that turn instead of repeating the prompt.
	 */
	get everyColumnFailed(): boolean {
		return this.columns.length > 0 && this.columns.every((c) => c.failed);
	}

	/**
	 * The ids of the failed turn that ends the column: its last user message and the failed
	 * answer after it. Empty when the column's last turn did not fail, or did not start with a
	 * user message (tool results: those are the model's to answer, not the user's to resend).
	 */
	#failedTurn(column: ColumnState): string[] {
		if (!column.failed) return [];
		const at = column.messages.findLastIndex((m) => m.role === 'user');
		const turn = at < 0 ? [] : column.messages.slice(at);
		return turn.slice(1).every((m) => m.role === 'assistant') ? turn.map((m) => m.id) : [];
	}

	toRow(): ConversationRow {
		return {
			id: this.id,
			title: this.title,
			columns: this.columns.map((c) => c.toRow()),
			createdAt: this.createdAt,
			updatedAt: Date.now()
		};
	}

	/** Settings changed: save them (once typing pauses) if the conversation is in History. */
	touch(): void {
		if (this.persisted) this.#store.saveConversation(this.toRow(), { settle: true });
	}

	#persist(): void {
		if (this.persisted) return;
		this.#persisted = true;
		this.#store.saveConversation(this.toRow());
	}

	/**
	 * Send one user message to every column, each in its mode: a chat turn, or the prompt of an
	 * image or speech, or `audio` to transcribe (the text then is the transcription's prompt).
	 * Every column is validated first: if any
	 * refuses, nothing is sent and false is returned (the problems sit next to their controls).
	 * When every column's last turn failed, the message replaces that turn (the failed prompt and
	 * its failed answer, shown until now) rather than following it: sending again after a
	 * failure sends the prompt once. Resolves once every column has settled.
	 */
	async send(
		text: string,
		attachments: Attachment[] = [],
		audio?: AudioFile
	): Promise<
		{ accepted: false } | { accepted: true; answers: Promise<Array<Answer | undefined>> }
	> {
		if (!text.trim() && attachments.length === 0 && !audio) return { accepted: false };
		if (this.streaming) return { accepted: false };
		const turn = await this.#userTurn(text, attachments);
		const again = this.everyColumnFailed;
		const replaced = this.columns.map((c) => (again ? this.#failedTurn(c) : []));
		// Each column's request is built (and so validated) once, here, and is the one sent.
		const requests = await Promise.all(
			this.columns.map(async (c, i) => {
				if (c.mode !== 'chat') return c.prepareMedia(c.mode, mediaAsk(c.mode, text, audio));
				// Mixed modes: an audio file alone gives a chat column nothing to send.
				if (!text.trim() && attachments.length === 0)
					return c.refuse({ message: { key: 'modes.error.noMessage' } });
				return c.prepare([
					...(await c.thread(c.messages.length - (replaced[i]?.length ?? 0))),
					turn
				]);
			})
		);
		if (requests.some((r) => r === undefined)) return { accepted: false };
		if (!this.title) this.#title = titleFrom(text, attachments, audio);
		const parts = await this.#storeParts(text, attachments);
		const input =
			audio && this.modes.includes('transcription')
				? await storeFile(audio.blob, (blob) => this.#store.putFile(blob), audio.name)
				: undefined;
		const now = Date.now();
		for (const [i, column] of this.columns.entries()) {
			if (replaced[i]?.length) this.deleteMessages(column, replaced[i]);
			const mode = column.mode;
			column.append({
				id: newId(),
				conversationId: this.id,
				columnId: column.id,
				seq: (column.messages.at(-1)?.seq ?? 0) + 1,
				role: 'user',
				content: text,
				...(mode === 'chat' ? { parts } : { mode }),
				...(mode === 'transcription' && input ? { media: { input } } : {}),
				createdAt: now,
				updatedAt: now
			});
		}
		this.touch();
		return {
			accepted: true,
			answers: Promise.all(this.columns.map((c, i) => c.run(requests[i])))
		};
	}

	/** The new user message as it goes on the wire: text, or parts with images inline. */
	async #userTurn(text: string, attachments: Attachment[]): Promise<ChatMessage> {
		if (attachments.length === 0) return { role: 'user', content: text };
		const parts: ContentPart[] = text ? [{ type: 'text', text }] : [];
		for (const a of attachments)
			parts.push({
				type: 'image_url',
				image_url: { url: a.kind === 'url' ? a.url : await this.#store.dataUrl(a.blob) }
			});
		return { role: 'user', content: parts };
	}

	async #storeParts(text: string, attachments: Attachment[]): Promise<StoredPart[] | undefined> {
		if (attachments.length === 0) return undefined;
		const parts: StoredPart[] = text ? [{ type: 'text', text }] : [];
		for (const a of attachments) {
			if (a.kind === 'url') parts.push({ type: 'image_url', url: a.url });
			else
				parts.push({
					type: 'image',
					blobId: await this.#store.putImage(a.blob),
					mime: a.blob.type
				});
		}
		return parts;
	}

	/** Answer the column's thread again, e.g. after a failure: only this column runs. */
	async retry(column: ColumnState): Promise<void> {
		const last = column.messages.at(-1);
		if (last?.role === 'assistant') this.deleteMessages(column, [last.id]);
		await column.run();
	}

	/** Append tool results (one `tool` message per call) and let the model go on. */
	async answerTools(column: ColumnState, results: Array<{ id: string; content: string }>) {
		const now = Date.now();
		let seq = column.messages.at(-1)?.seq ?? 0;
		for (const r of results) {
			column.append({
				id: newId(),
				conversationId: this.id,
				columnId: column.id,
				seq: ++seq,
				role: 'tool',
				toolCallId: r.id,
				content: r.content,
				createdAt: now,
				updatedAt: now
			});
		}
		await column.run();
	}

	/** Everything in the column's thread from message `id` on. */
	#tailFrom(column: ColumnState, id: string): string[] {
		const at = column.messages.findIndex((m) => m.id === id);
		return at < 0 ? [] : column.messages.slice(at).map((m) => m.id);
	}

	/** Edit a user message and resend from there: later turns of this column are dropped. */
	async editAndResend(column: ColumnState, id: string, text: string): Promise<void> {
		const row = column.messages.find((m) => m.id === id);
		if (!row || row.role !== 'user' || column.streaming) return;
		this.deleteMessages(column, this.#tailFrom(column, id).slice(1));
		const parts = row.parts?.map((p) => (p.type === 'text' ? { ...p, text } : p));
		const edited = { ...row, content: text, parts, updatedAt: Date.now() };
		column.replace(edited);
		this.#host.saveMessage(edited, false);
		await column.run();
	}

	/** Ask again for an answer: it and everything after it in this column are replaced. */
	async regenerate(column: ColumnState, id: string): Promise<void> {
		if (column.streaming) return;
		this.deleteMessages(column, this.#tailFrom(column, id));
		await column.run();
	}

	/** The thread of `column` up to and including message `id`, for a fork. */
	threadUpTo(column: ColumnState, id: string): MessageRow[] {
		const at = column.messages.findIndex((m) => m.id === id);
		return at < 0 ? [] : column.messages.slice(0, at + 1);
	}

	/** Put deleted messages back where they were (undo). */
	restoreMessages(column: ColumnState, rows: MessageRow[]): void {
		column.restoreMessages(rows);
		for (const row of rows) this.#store.saveMessage(row, false);
	}

	deleteMessages(column: ColumnState, ids: string[]): void {
		column.removeMessages(ids);
		this.#store.deleteMessages(ids);
	}

	stop(): void {
		for (const column of this.columns) column.stop();
	}

	addColumn(copyFrom?: ColumnState): ColumnState | undefined {
		if (this.columns.length >= MAX_COLUMNS) return undefined;
		const column = this.#column();
		const source = copyFrom ?? this.columns.at(-1);
		if (source) column.copySettings(source);
		column.setLabel(undefined);
		this.#columns.push(column);
		this.touch();
		return column;
	}

	/**
	 * Parameter sweep: replace `column` by one column per value, same endpoint and model,
	 * differing only in `key` (e.g. temperature 0, 0.5, 1, 1.5).
	 */
	sweep(column: ColumnState, key: string, values: string[]): ColumnState[] {
		const at = this.columns.indexOf(column);
		if (at < 0 || values.length === 0 || values.length > this.sweepRoom) return [];
		const made = values.map((value, i) => {
			const next = i === 0 ? column : this.#column();
			if (i > 0) next.copySettings(column);
			next.applyParam(key, value);
			next.setLabel(`${key} ${value}`);
			return next;
		});
		this.#columns = [...this.columns.slice(0, at), ...made, ...this.columns.slice(at + 1)];
		this.touch();
		return made;
	}

	/** Give every column this column's value of one parameter. */
	applyToAll(column: ColumnState, key: string): void {
		const value = column.params[key];
		for (const other of this.columns) if (other !== column) other.applyParam(key, value);
		this.touch();
	}

	removeColumn(column: ColumnState): void {
		if (this.columns.length <= 1) return;
		column.stop();
		this.deleteMessages(
			column,
			column.messages.map((m) => m.id)
		);
		this.#columns = this.columns.filter((c) => c !== column);
		this.touch();
	}
}

function titleFrom(text: string, attachments: Attachment[], audio?: AudioFile): string {
	const line = text.trim().split('\n')[0] || (audio?.name ?? '');
	if (line) return line.length > 60 ? `${line.slice(0, 59)}…` : line;
	return attachments.length ? 'Image' : 'Untitled';
}

/** `column`'s messages among a conversation's, in order. */
function threadOf(column: ColumnState, messages: MessageRow[]): MessageRow[] {
	return messages.filter((m) => m.columnId === column.id).sort((a, b) => a.seq - b.seq);
}
