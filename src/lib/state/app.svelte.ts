import { openDb, type SwitchboardDb } from '../db/schema.ts';
import {
	countConversations,
	deleteConversation,
	listConversations,
	loadConversation,
	putConversation,
	renameConversation,
	restoreConversation
} from '../db/conversations.ts';
import {
	createAnswerSaver,
	deleteMessages,
	listLatestMessages,
	listMessages,
	markInterrupted,
	putMessage
} from '../db/messages.ts';
import { copyBlobs, getAudio, getBlob, putBlob } from '../db/blobs.ts';
import { getSetting, setSetting } from '../db/settings.ts';
import { storageError, onVersionChange, requestPersistence } from '../db/errors.ts';
import { searchConversations, type SearchResult } from '../db/search.ts';
import { blobIdsOf, renameBlobs, type ConversationRow, type MessageRow } from '../db/rows.ts';
import type { Message } from '../util/message.ts';
import { Settings } from './settings.svelte.ts';
import { DEMO_PRESET, Presets } from './presets.svelte.ts';
import {
	ConversationState,
	type Attachment,
	type ConversationStore
} from './conversation.svelte.ts';
import type { AudioFile } from './media-turn.ts';
import { Workspace } from './workspace.svelte.ts';
import { Experiments, experimentIdIn } from './experiments.svelte.ts';
import { LATEST_SHOWN, type ColumnState } from './column.svelte.ts';
import type { ExperimentState, Job } from './experiment.svelte.ts';
import { MAX_COLUMNS } from './conversation.svelte.ts';
import { newId } from '../util/id.ts';
import { TabChannel } from '../tabs.ts';
import { rasterUrl } from '../util/raster.ts';

type Removed = NonNullable<Awaited<ReturnType<typeof deleteConversation>>>;
type Persistence = 'granted' | 'denied' | 'unsupported' | 'unknown';

const HISTORY_PAGE = 200;
/** How long settings edits wait for typing to pause before the conversation row is written. */
const SETTLE_MS = 300;

/** The whole app: storage, settings, presets, History and the open conversation. */
export class AppState {
	readonly db: SwitchboardDb;
	readonly settings: Settings;
	readonly presets: Presets;
	/** Which panels are open, and the notice shown. */
	readonly workspace = new Workspace();
	readonly experiments: Experiments;
	#history = $state.raw<ConversationRow[]>([]);
	#historyTotal = $state(0);
	#current = $state<ConversationState>() as ConversationState;
	/** A storage failure shown in a banner: nothing on screen is lost. */
	#storageProblem = $state.raw<Message | undefined>();
	#persistence = $state<Persistence>('unknown');
	/** Another tab upgraded the database: this one must reload. */
	#needsReload = $state(false);
	/** Another tab wrote the conversation on screen: what is shown may not be what is stored. */
	#staleChat = $state(false);
	/** Reading the whole thread of the conversation last opened (see open). */
	#reading: Promise<void> = Promise.resolve();
	/** The conversation on screen while only its latest messages are read. */
	#partial: ConversationState | undefined;
	#tabs: TabChannel;
	/** The last deleted conversation, until undone or replaced. */
	#undoable = $state.raw<Removed | undefined>();
	/** What is typed in History's search box. */
	#historyQuery = $state('');
	/** What the query found; undefined when nothing filters (History shows `history`). */
	#historyResults = $state.raw<SearchResult | undefined>();
	#searchTimer: ReturnType<typeof setTimeout> | undefined;
	#searchRun = 0;
	#saver: ReturnType<typeof createAnswerSaver>;
	// Caches, not state: nothing renders from them directly.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#dataUrls = new Map<string, Promise<string>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#objectUrls = new Map<string, Promise<string>>();
	#store: ConversationStore;
	/** Settled messages still being written: an export waits for them. */
	#settledWrites: Promise<unknown> = Promise.resolve();
	/** Writes asked for and not yet finished (the streaming saver counts once while busy). */
	#pending = $state(0);
	#saverBusy = false;
	#answerWrites = $state(0);
	#nextConversation:
		{ row: ConversationRow; timer: ReturnType<typeof setTimeout>; due: number } | undefined;

	constructor(db: SwitchboardDb = openDb()) {
		this.db = db;
		this.settings = new Settings(db);
		this.presets = new Presets(db);
		this.#tabs = new TabChannel((change) => {
			if (change.conversationId === this.current.id) this.#staleChat = true;
		});
		this.#saver = createAnswerSaver(db, {
			onError: (err) => this.#report(err),
			onWritten: (idle) => {
				this.#answerWrites++;
				if (idle && this.#saverBusy) {
					this.#saverBusy = false;
					this.#pending--;
				}
			}
		});
		this.#store = {
			saveConversation: (row, opts) => {
				this.#scheduleConversation(row, opts?.settle ? SETTLE_MS : 0);
			},
			saveMessage: (row, streaming) => {
				if (streaming) {
					if (!this.#saverBusy) {
						this.#saverBusy = true;
						this.#pending++;
					}
					this.#saver.save(row);
				} else {
					this.#settledWrites = this.#settledWrites.then(() =>
						this.#guard(
							this.#saver
								.flush()
								.then(() => putMessage(db, row))
								.then(() => this.#tabs.announce(row.conversationId))
						)
					);
					void this.#track(this.#settledWrites);
				}
			},
			deleteMessages: (ids) => {
				const id = this.current.id;
				void this.#track(this.#guard(deleteMessages(db, ids).then(() => this.#tabs.announce(id))));
			},
			putImage: (blob) => putBlob(db, blob),
			imageUrl: (id) => this.#cached(this.#dataUrls, id, getBlob, readDataUrl),
			dataUrl: (blob) => readDataUrl(blob),
			putFile: (blob) => putBlob(db, blob),
			audio: (id) => getAudio(db, id)
		};
		this.#current = this.#newConversation();
		this.experiments = new Experiments(db, (work) => this.#guard(work));
	}

	/** The latest History page, newest first. */
	get history(): ConversationRow[] {
		return this.#history;
	}

	/** How many conversations History holds in all. */
	get historyTotal(): number {
		return this.#historyTotal;
	}

	/** The conversation on screen. */
	get current(): ConversationState {
		return this.#current;
	}

	/** A storage failure shown in a banner: nothing on screen is lost. */
	get storageProblem(): Message | undefined {
		return this.#storageProblem;
	}

	/** Whether the browser keeps the data under storage pressure. */
	get persistence(): Persistence {
		return this.#persistence;
	}

	/** Another tab upgraded the database: this one must reload. */
	get needsReload(): boolean {
		return this.#needsReload;
	}

	/**
	 * Another tab changed the conversation on screen: sending now would mix its branch and
	 * this tab's into one request, so sending waits for `reloadChat`.
	 */
	get staleChat(): boolean {
		return this.#staleChat;
	}

	/** The last deleted conversation, until undone or replaced. */
	get undoable(): Removed | undefined {
		return this.#undoable;
	}

	/** What is typed in History's search box. */
	get historyQuery(): string {
		return this.#historyQuery;
	}

	/** What the query found; undefined when nothing filters (History shows `history`). */
	get historyResults(): SearchResult | undefined {
		return this.#historyResults;
	}

	/**
	 * Nothing is waiting to be written: what is on screen is on disk. Counted up in the same
	 * step that asks for a write, so it never reads true while a write is still due.
	 */
	get saved(): boolean {
		return this.#pending === 0;
	}

	/** Streaming-answer writes finished so far (each at most ~0.4 s of text behind). */
	get answerWrites(): number {
		return this.#answerWrites;
	}

	/**
	 * Settings edits arrive on every keystroke: the row is written once typing pauses (and at
	 * once before anything that reads it: a switch of conversation, an export). Counted as a
	 * pending write meanwhile, so `saved` stays honest.
	 */
	#scheduleConversation(row: ConversationRow, delay: number): void {
		if (this.#nextConversation && this.#nextConversation.row.id !== row.id)
			void this.#flushConversation();
		const next = this.#nextConversation;
		// The earliest deadline wins: a first save is not pushed back by the edits that follow it.
		const due = Math.min(next?.due ?? Infinity, Date.now() + delay);
		if (next) clearTimeout(next.timer);
		else this.#pending++;
		const timer = setTimeout(() => void this.#flushConversation(), due - Date.now());
		this.#nextConversation = { row, timer, due };
	}

	/** Write the waiting row now; resolves once it is on disk. */
	#flushConversation(): Promise<unknown> {
		const next = this.#nextConversation;
		if (!next) return Promise.resolve();
		clearTimeout(next.timer);
		this.#nextConversation = undefined;
		const { row } = next;
		const written = this.#guard(
			putConversation(this.db, row).then(() => this.#tabs.announce(row.id))
		)
			.then(() => this.refreshHistory())
			.finally(() => this.#pending--);
		// Reopen it after a reload or crash.
		if (row.id === this.current?.id) {
			void this.#track(setSetting(this.db, 'lastConversation', row.id));
			this.#showInUrl();
		}
		return written;
	}

	/** A conversation being deleted must not be written back by a save still waiting. */
	#dropConversation(id: string): void {
		if (this.#nextConversation?.row.id !== id) return;
		clearTimeout(this.#nextConversation.timer);
		this.#nextConversation = undefined;
		this.#pending--;
	}

	#track<T>(work: Promise<T>): Promise<T> {
		this.#pending++;
		return work.finally(() => this.#pending--);
	}

	async init(): Promise<void> {
		onVersionChange(this.db, () => (this.#needsReload = true));
		await this.#guard(
			(async () => {
				// Independent reads at once: each is a round trip to IndexedDB before the first paint.
				const [, , , lastId] = await Promise.all([
					this.settings.load(),
					markInterrupted(this.db),
					this.presets.load(),
					getSetting<string | undefined>(this.db, 'lastConversation', undefined)
				]);
				// The lists at the side load beside the conversation, not before it.
				const lists = Promise.all([this.refreshHistory(), this.experiments.refresh()]);
				const hash = typeof location === 'undefined' ? '' : location.hash;
				// The conversation the URL names (a reload, a link), else the last one used.
				const linked = conversationIdIn(hash);
				const opened =
					(linked !== undefined && (await this.open(linked))) ||
					(lastId !== undefined && (await this.open(lastId)));
				if (!opened) this.#showInUrl();
				await lists;
				// Or the experiment it names, shown over that conversation.
				const experiment = experimentIdIn(hash);
				if (experiment) await this.openExperiment(experiment);
			})()
		);
		void requestPersistence().then((answer) => (this.#persistence = answer));
	}

	/** Run a storage operation; a failure becomes a banner instead of an exception. */
	async #guard<T>(work: Promise<T>): Promise<T | undefined> {
		try {
			return await work;
		} catch (err) {
			this.#report(err);
			return undefined;
		}
	}

	#report(err: unknown): void {
		this.#storageProblem = storageError(err) ?? {
			key: 'db.error.unknown',
			vars: { detail: String(err) }
		};
	}

	/** A URL made once per stored blob: '' when it is missing (or, for images, no raster image). */
	#cached<B>(
		cache: Map<string, Promise<string>>,
		id: string,
		read: (db: SwitchboardDb, id: string) => Promise<B | undefined>,
		convert: (blob: B) => Promise<string> | string
	): Promise<string> {
		let hit = cache.get(id);
		if (!hit) {
			hit = read(this.db, id).then((blob) => (blob ? convert(blob) : ''));
			cache.set(id, hit);
		}
		return hit;
	}

	/** An object URL for showing a stored image; '' when it is missing or no raster image. */
	imageObjectUrl(blobId: string): Promise<string> {
		return this.#cached(this.#objectUrls, blobId, getBlob, rasterUrl);
	}

	/** An object URL for playing or saving stored audio (typed as audio only); '' when missing. */
	audioObjectUrl(blobId: string): Promise<string> {
		return this.#cached(this.#objectUrls, blobId, getAudio, (blob) => URL.createObjectURL(blob));
	}

	/**
	 * A new chat keeps the connection of the first column of the chat on screen (endpoint,
	 * model, preset, streaming) but starts with the preset's parameters, or none, and no system
	 * prompt (see ColumnState.startFrom). On first start: the demo.
	 */
	#newConversation(): ConversationState {
		const conversation = new ConversationState(this.#store);
		const first = conversation.columns[0];
		const template = this.current?.columns[0];
		if (first && template) first.startFrom(template, this.presets.find(template.presetId));
		else if (first) first.applyPreset(DEMO_PRESET);
		return conversation;
	}

	/**
	 * The URL names the conversation on screen: `#/c/<id>` once it is saved, no hash for a new
	 * chat, so a reload (or a shared link) opens what is shown. Replaced, not pushed: Back does
	 * not walk through chats. Nothing happens outside a browser.
	 */
	#showInUrl(): void {
		if (typeof location === 'undefined' || typeof history === 'undefined') return;
		// The experiment view names its experiment in the URL itself.
		if (this.workspace.view !== 'chat') return;
		const hash = this.current.persisted ? `#/c/${this.current.id}` : '';
		if (location.hash === hash) return;
		history.replaceState(history.state, '', hash || `${location.pathname}${location.search}`);
	}

	async refreshHistory(): Promise<void> {
		const [rows, total] = await Promise.all([
			listConversations(this.db, { limit: HISTORY_PAGE }),
			countConversations(this.db)
		]);
		this.#history = rows;
		this.#historyTotal = total;
		if (this.historyQuery) this.searchHistory(this.historyQuery);
	}

	/** Filter History as the user types: lightly debounced, and an older, slower answer never wins. */
	searchHistory(query: string): void {
		this.#historyQuery = query;
		clearTimeout(this.#searchTimer);
		const run = ++this.#searchRun;
		if (!query.trim()) {
			this.#historyResults = undefined;
			return;
		}
		this.#searchTimer = setTimeout(() => {
			void this.#guard(searchConversations(this.db, query, HISTORY_PAGE)).then((found) => {
				if (run === this.#searchRun) this.#historyResults = found;
			});
		}, 120);
	}

	/** Send from the composer to every column of the open conversation; not while it is stale. */
	async send(
		text: string,
		attachments: Attachment[] = [],
		audio?: AudioFile
	): ReturnType<ConversationState['send']> {
		await this.#reading.catch(() => {});
		if (this.staleChat) return { accepted: false };
		const result = await this.current.send(text, attachments, audio);
		if (result.accepted) this.settings.rememberModels(this.current.columns.map((c) => c.model));
		return result;
	}

	/** Regenerate an answer; not while the chat is stale (see staleChat). */
	regenerate(column: ColumnState, id: string): void {
		const conversation = this.current;
		this.#whenRead(() => {
			if (!this.staleChat) void conversation.regenerate(column, id);
		});
	}

	/** Replace a prompt and resend it; not while the chat is stale. */
	editAndResend(column: ColumnState, id: string, text: string): void {
		const conversation = this.current;
		this.#whenRead(() => {
			if (!this.staleChat) void conversation.editAndResend(column, id, text);
		});
	}

	/** Send the results of an answer's tool calls; not while the chat is stale. */
	answerTools(column: ColumnState, results: Array<{ id: string; content: string }>): void {
		const conversation = this.current;
		this.#whenRead(() => {
			if (!this.staleChat) void conversation.answerTools(column, results);
		});
	}

	/** Read the conversation on screen again from storage, with what other tabs wrote. */
	async reloadChat(): Promise<void> {
		await this.open(this.current.id);
	}

	/** Add a column, or say why not. */
	addColumn(): void {
		if (this.current.addColumn()) return;
		this.workspace.notify({
			tone: 'error',
			message: { key: 'compare.limit', vars: { max: MAX_COLUMNS } }
		});
	}

	removeColumn(column: ColumnState): void {
		this.workspace.forget(column.id);
		this.current.removeColumn(column);
	}

	/** Delete one message, with an Undo in the notice. */
	removeMessage(column: ColumnState, id: string): void {
		this.#whenRead(() => this.#removeMessage(column, id));
	}

	#removeMessage(column: ColumnState, id: string): void {
		const conversation = this.current;
		const row = column.messages.find((m) => m.id === id);
		if (!row || column.streaming) return;
		conversation.deleteMessages(column, [id]);
		this.workspace.notify({
			tone: 'info',
			message: { key: 'message.deleted' },
			action: {
				labelKey: 'history.undo',
				run: () => {
					this.workspace.dismiss();
					conversation.restoreMessages(column, [row]);
				}
			}
		});
	}

	/** Delete a saved preset, with an Undo in the notice. */
	async removePreset(id: string): Promise<void> {
		const removed = await this.presets.remove(id);
		if (!removed) return;
		for (const column of this.current.columns)
			if (column.presetId === id) column.pickPreset(undefined);
		this.workspace.notify({
			tone: 'info',
			message: { key: 'preset.deleted', vars: { name: removed.name } },
			action: {
				labelKey: 'history.undo',
				run: () => {
					this.workspace.dismiss();
					void this.presets.restore(removed);
				}
			}
		});
	}

	/** The experiment view: the one last shown, else the newest, else a new one. */
	async showExperiments(): Promise<void> {
		this.workspace.showView('experiment');
		await this.experiments.show(this.current.columns[0]);
	}

	async openExperiment(id: string): Promise<boolean> {
		const opened = await this.experiments.open(id);
		if (opened) this.workspace.showView('experiment');
		return opened;
	}

	/** Back to the conversation, named again in the URL. */
	showChat(): void {
		this.workspace.showView('chat');
		this.#showInUrl();
	}

	newChat(): void {
		this.workspace.showView('chat');
		void this.#flushConversation();
		this.#current = this.#newConversation();
		this.#staleChat = false;
		void setSetting(this.db, 'lastConversation', undefined);
		this.#showInUrl();
	}

	/** Open a saved conversation; false (and the URL back on the one shown) when there is none. */
	async open(id: string): Promise<boolean> {
		await this.#flushConversation();
		const loaded = await loadConversation(this.db, id);
		if (!loaded || 'problem' in loaded) {
			if (loaded) this.workspace.notify({ tone: 'error', message: loaded.problem });
			this.#showInUrl();
			return false;
		}
		// The latest turns first, so a long chat paints at once; then the whole thread.
		const columnIds = loaded.row.columns.map((c) => c.id);
		const latest = await listLatestMessages(this.db, id, columnIds, LATEST_SHOWN);
		const conversation = new ConversationState(this.#store, loaded.row, latest);
		this.#current = conversation;
		this.#staleChat = false;
		void setSetting(this.db, 'lastConversation', id);
		this.workspace.showView('chat');
		this.#showInUrl();
		this.#partial = conversation;
		this.#reading = listMessages(this.db, id)
			.then((all) => conversation.completeThreads(all))
			.finally(() => {
				if (this.#partial === conversation) this.#partial = undefined;
			});
		await this.#guard(this.#reading);
		return true;
	}

	/**
	 * Runs `act` once the open conversation's whole thread has been read: what sends, forks or
	 * deletes needs every message, not only the latest ones it opened on.
	 */
	#whenRead(act: () => void): void {
		if (this.#partial !== this.current) act();
		else void this.#reading.then(act, act);
	}

	/** A new conversation with one column's settings and its thread up to a message. */
	async fork(column: ColumnState, messageId: string): Promise<void> {
		const source = this.current;
		await this.#reading.catch(() => {});
		const now = Date.now();
		const conversationId = newId();
		const columnRow = { ...column.toRow(), id: newId() };
		const thread = source.threadUpTo(column, messageId).map((m) => $state.snapshot(m));
		// The fork gets its own copies of images and audio: deleting either chat keeps the other's.
		const copies = await this.#guard(copyBlobs(this.db, thread.flatMap(blobIdsOf)));
		const messages = thread.map((m) => ({
			...renameBlobs(m, (id) => copies?.get(id) ?? id),
			id: newId(),
			conversationId,
			columnId: columnRow.id
		}));
		const row = {
			id: conversationId,
			title: this.settings.t('history.forkTitle', { title: source.title || '…' }),
			columns: [columnRow],
			createdAt: now,
			updatedAt: now
		};
		await this.#openNew(row, messages);
	}

	/** Store a conversation made whole elsewhere (a fork, an experiment's cell) and open it. */
	async #openNew(row: ConversationRow, messages: MessageRow[]): Promise<void> {
		await this.#guard(putConversation(this.db, row));
		for (const m of messages) await this.#guard(putMessage(this.db, m));
		await this.refreshHistory();
		await this.open(row.id);
	}

	/**
	 * Open an experiment's cell as a conversation, its raw request the one the experiment sent,
	 * so it can be read, exported as code, or continued.
	 */
	async openExchange(experiment: ExperimentState, job: Job): Promise<void> {
		const title = this.settings.t('experiment.exchangeTitle', {
			title: experiment.title || this.settings.t('experiment.untitled'),
			case: job.caseIndex + 1,
			model: job.target.model
		});
		const made = experiment.asConversation(job, title);
		if (!made) return;
		await this.#openNew(made.row, made.messages);
		const column = this.current.columns[0];
		const sent = experiment.resultOf(job)?.request;
		const rebuilt = column && (await column.thread(1));
		const prepared = column && rebuilt && column.prepare(rebuilt);
		if (column && prepared) column.recordSent(sent ? { ...prepared, body: sent } : prepared);
	}

	async rename(id: string, title: string): Promise<void> {
		await this.#flushConversation();
		await this.#guard(renameConversation(this.db, id, title));
		this.#tabs.announce(id);
		if (this.current.id === id) this.current.setTitle(title);
		await this.refreshHistory();
	}

	async remove(id: string): Promise<void> {
		this.#dropConversation(id);
		const removed = await this.#guard(deleteConversation(this.db, id));
		this.#undoable = removed;
		if (this.current.id === id) this.newChat();
		await this.refreshHistory();
	}

	dismissStorageProblem(): void {
		this.#storageProblem = undefined;
	}

	dismissUndo(): void {
		this.#undoable = undefined;
	}

	async undoRemove(): Promise<void> {
		const removed = this.undoable;
		if (!removed) return;
		this.#undoable = undefined;
		await this.#guard(restoreConversation(this.db, removed));
		await this.refreshHistory();
	}

	async exportData(includeKeys: boolean): Promise<Blob> {
		await this.#flushConversation();
		await this.#settledWrites;
		await this.#saver.flush();
		await this.experiments.flush();
		const { exportAll } = await loadBackup();
		return exportAll(this.db, { includeKeys });
	}

	/** Import a backup; the outcome is shown as a notice. */
	async importData(file: Blob): Promise<void> {
		await this.#flushConversation();
		const { importAll, importInWorker } = await loadBackup();
		// A worker keeps a large import from freezing the page; where workers fail, import here.
		const result = await importInWorker(file).catch(() => importAll(this.db, file));
		if (result.ok) {
			await this.presets.load();
			await this.refreshHistory();
			await this.experiments.refresh();
		}
		this.workspace.notify({
			tone: result.ok ? 'info' : 'error',
			part: 'import-result',
			message: result.ok
				? { key: 'backup.imported', vars: { count: result.counts.conversations } }
				: result.message
		});
	}
}

/** Export and import (with a backup's checks) are rare: their code loads when first asked for. */
const loadBackup = () => import('../db/backup.ts');

/** The conversation id in a `#/c/<id>` hash, as History links write it. */
export function conversationIdIn(hash: string): string | undefined {
	return /^#\/c\/(\w+)$/.exec(hash)?.[1];
}

function readDataUrl(blob: Blob): Promise<string> {
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(String(reader.result));
		reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
		reader.readAsDataURL(blob);
	});
}
