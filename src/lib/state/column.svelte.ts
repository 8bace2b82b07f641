import type { ColumnRow, MessageRow, ModeSettings, PresetRow, Prices } from '../db/rows.ts';
import {
	DEFAULT_ENDPOINT,
	endpointErrors,
	resolveChatUrl,
	resolveModeUrl,
	type SentRequest
} from '../wire/endpoint.ts';
import { buildRequest, newTraceId } from '../wire/request.ts';
import { runChat, type RunOptions } from '../wire/chat.ts';
import { DEMO_MODEL, demoFetch, isDemoUrl } from '../wire/demo.ts';
import { buildMediaRequest } from '../wire/media-request.ts';
import { fetchModels } from '../wire/models.ts';
import type {
	Answer,
	ChatMessage,
	MediaInput,
	MediaMode,
	Mode,
	ParamValues,
	PreparedMediaRequest,
	PreparedRequest,
	RawResponse,
	ToolCall,
	WireError
} from '../wire/types.ts';
import type { EndpointConfig } from '../app-types.ts';
import type { Message } from '../util/message.ts';
import { newId } from '../util/id.ts';
import { frameCoalescer } from '../util/frame.ts';
import { toChatMessages } from './thread.ts';
import { fileOf, mediaAsk, pendingMedia, settleMedia, type LiveAudio } from './media-turn.ts';
import { DEMO_PRESET_ID } from './presets.svelte.ts';

/** What a column needs from its conversation while it runs. */
export interface ColumnHost {
	conversationId: string;
	/** Persist a message now (settled) or throttled (streaming). */
	saveMessage(row: MessageRow, streaming: boolean): void;
	/** The column's settings or thread changed. */
	touch(): void;
	/** Resolve a stored image to a data: URL for the request body. */
	imageUrl(blobId: string): Promise<string>;
	/** Store a generated image or audio; resolves to its blob id. */
	putFile(blob: Blob): Promise<string>;
	/** A stored audio file (to transcribe again); undefined when missing. */
	audio(blobId: string): Promise<Blob | undefined>;
}

/** A column of no conversation (a scratch copy, a test): its edits and messages go nowhere. */
export const DETACHED: ColumnHost = {
	conversationId: '',
	saveMessage: () => {},
	touch: () => {},
	imageUrl: () => Promise.reject(new Error('a detached column has no stored images')),
	putFile: () => Promise.reject(new Error('a detached column stores no files')),
	audio: () => Promise.resolve(undefined)
};

/** A request of one mode, as built at Send: chat, or images, speech or transcription. */
export type AnyRequest = PreparedRequest | PreparedMediaRequest;
/** A request as it went out, with the key it went out with (see SentRequest). */
export type AnySentRequest = SentRequest | (PreparedMediaRequest & { apiKey: string });

export function isMediaRequest(request: AnyRequest): request is PreparedMediaRequest {
	return 'mode' in request;
}

/** One column: an endpoint, a model, parameters and its own thread. */
export class ColumnState {
	readonly id: string;
	#presetId = $state<string | undefined>();
	/** What tells this column apart in a sweep, e.g. `temperature 0.5`. */
	#label = $state<string | undefined>();
	#endpoint = $state<EndpointConfig>({ ...DEFAULT_ENDPOINT });
	#model = $state('');
	#params = $state<ParamValues>({});
	#system = $state('');
	#prices = $state<Prices>({});
	/** What the column asks for; `model` and `params` are this mode's. */
	#mode = $state<Mode>('chat');
	/** The model and parameters of every mode not shown, kept for when it is shown again. */
	#otherModes = $state<Partial<Record<Mode, ModeSettings>>>({});
	/**
	 * The latest speech as it arrived, for playing while it downloads; kept after it is complete,
	 * so the player that started stays (until the next request).
	 */
	#liveAudio = $state.raw<LiveAudio | undefined>();
	/** The thread, replaced whole on change (big lists are cheaper as raw state). */
	#messages = $state.raw<MessageRow[]>([]);
	/**
	 * How many of the oldest messages are not rendered yet: a long thread opens on its latest
	 * turns, and older ones come in batches as the reader scrolls up (see showOlder).
	 */
	#hidden = $state(0);
	#shown = $derived(this.#hidden ? this.#messages.slice(this.#hidden) : this.#messages);
	/** The answer streaming right now, updated at most once per frame. */
	#live = $state.raw<Answer | undefined>();
	#liveId = $state<string | undefined>();
	/** Validation problems by control (param key, 'baseUrl', 'model', 'extraHeaders'). */
	#errors = $state.raw<Record<string, Message>>({});
	/** Problems the browser would refuse to send, shown as they are typed (a key's stray space). */
	#fieldErrors = $derived(endpointErrors(this.#endpoint));
	#lastRequest = $state.raw<AnySentRequest | undefined>();
	#lastRaw = $state.raw<RawResponse | undefined>();
	#models = $state.raw<string[]>([]);
	#modelsError = $state.raw<Message | undefined>();
	#controller: AbortController | undefined;
	/** The endpoint the model list was fetched for: opening the picker again does not refetch. */
	#modelsFor = '';
	#host: ColumnHost;

	/** `host` is the conversation: every edit of settings ends in its `touch`. */
	constructor(row?: Partial<ColumnRow>, host: ColumnHost = DETACHED) {
		this.#host = host;
		this.id = row?.id ?? newId();
		this.#presetId = row?.presetId;
		this.#label = row?.label;
		this.#endpoint = { ...DEFAULT_ENDPOINT, ...row?.endpoint };
		this.#model = row?.model ?? '';
		this.#params = { ...row?.params };
		this.#system = row?.system ?? '';
		this.#prices = { ...row?.prices };
		this.#mode = row?.mode ?? 'chat';
		this.#otherModes = { ...row?.modes };
	}

	/** Chat, images, speech or transcription. */
	get mode(): Mode {
		return this.#mode;
	}

	/** The latest speech as it arrived (see #liveAudio). */
	get liveAudio(): LiveAudio | undefined {
		return this.#liveAudio;
	}

	/** The model and parameters the column uses in `mode`. */
	settingsOf(mode: Mode): ModeSettings {
		if (mode === this.mode) return { model: this.model, params: this.params };
		return this.#otherModes[mode] ?? { model: this.#defaultModel(), params: {} };
	}

	/** A mode not used yet: the demo answers any model, another endpoint needs one chosen. */
	#defaultModel(): string {
		const chat = resolveChatUrl(this.endpoint.baseUrl);
		return chat.ok && isDemoUrl(chat.url) ? DEMO_MODEL : '';
	}

	/**
	 * Ask in another mode: this mode's model and parameters are kept for when it comes back, and
	 * the other's return (or start empty). Endpoint, key and preset stay: they serve every mode.
	 */
	setMode(mode: Mode): void {
		if (mode === this.mode || this.streaming) return;
		const next = this.settingsOf(mode);
		const others = Object.entries(this.#otherModes).filter(([m]) => m !== mode);
		this.#otherModes = {
			...Object.fromEntries(others),
			[this.mode]: { model: this.model, params: this.params }
		};
		this.#mode = mode;
		this.#model = next.model;
		this.#params = { ...next.params };
		this.#errors = {};
		this.#host.touch();
	}

	get presetId(): string | undefined {
		return this.#presetId;
	}

	/** What tells this column apart in a sweep, e.g. `temperature 0.5`. */
	get label(): string | undefined {
		return this.#label;
	}

	get endpoint(): EndpointConfig {
		return this.#endpoint;
	}

	get model(): string {
		return this.#model;
	}

	get params(): ParamValues {
		return this.#params;
	}

	get system(): string {
		return this.#system;
	}

	get prices(): Prices {
		return this.#prices;
	}

	/** The thread, oldest first. */
	get messages(): MessageRow[] {
		return this.#messages;
	}

	/** The part of the thread to render: the latest messages, oldest first (see showOlder). */
	get shownMessages(): MessageRow[] {
		return this.#shown;
	}

	/** Older messages not rendered yet. */
	get olderCount(): number {
		return this.#hidden;
	}

	/** Render up to `count` more of the older messages, the ones just before those shown. */
	showOlder(count = OLDER_BATCH): void {
		this.#hidden = Math.max(0, this.#hidden - count);
	}

	/** The answer streaming right now, updated at most once per frame. */
	get live(): Answer | undefined {
		return this.#live;
	}

	/** The id of the message streaming right now. */
	get liveId(): string | undefined {
		return this.#liveId;
	}

	/**
	 * Validation problems by control (param key, 'baseUrl', 'model', 'extraHeaders', 'apiKey',
	 * 'timeoutMs'): those found at the last Send, and those of the endpoint as it is now.
	 */
	get errors(): Record<string, Message> {
		return { ...this.#errors, ...this.#fieldErrors };
	}

	/** The last request sent, with the key it was sent with. */
	get lastRequest(): AnySentRequest | undefined {
		return this.#lastRequest;
	}

	get lastRaw(): RawResponse | undefined {
		return this.#lastRaw;
	}

	/** Model ids the endpoint offers, as suggestions. */
	get models(): string[] {
		return this.#models;
	}

	get modelsError(): Message | undefined {
		return this.#modelsError;
	}

	get streaming(): boolean {
		return this.liveId !== undefined;
	}

	/** The last answer, once settled (undefined while one streams). */
	get latestSettled(): Answer | undefined {
		if (this.streaming) return undefined;
		return this.messages.findLast((m) => m.role === 'assistant')?.answer;
	}

	/** The last answer failed or was cut off, and can be asked for again. */
	get canRetry(): boolean {
		const last = this.messages.at(-1);
		return (
			!this.streaming &&
			last?.role === 'assistant' &&
			(last.answer?.status === 'failed' || last.answer?.status === 'interrupted')
		);
	}

	get failed(): boolean {
		return this.messages.at(-1)?.answer?.status === 'failed' && !this.streaming;
	}

	/** Tool calls of the last, finished answer that wait for results. */
	get pendingToolCalls(): ToolCall[] {
		const last = this.messages.at(-1);
		return !this.streaming && last?.role === 'assistant' && last.answer?.status === 'done'
			? (last.answer.choices[0]?.toolCalls ?? [])
			: [];
	}

	toRow(): ColumnRow {
		return $state.snapshot({
			id: this.id,
			presetId: this.presetId,
			label: this.label,
			endpoint: this.endpoint,
			model: this.model,
			params: this.params,
			system: this.system,
			prices: this.prices,
			// A chat column's row stays as it was before modes.
			...(this.mode === 'chat' ? {} : { mode: this.mode }),
			...(Object.keys(this.#otherModes).length ? { modes: this.#otherModes } : {})
		});
	}

	/** An edit by the user: the built-in demo preset no longer describes the column. */
	#edited(): void {
		if (this.presetId === DEMO_PRESET_ID) this.#presetId = undefined;
		this.#host.touch();
	}

	setEndpoint(patch: Partial<EndpointConfig>): void {
		this.#endpoint = { ...this.endpoint, ...patch };
		this.#edited();
	}

	setModel(model: string): void {
		this.#model = model;
		this.#edited();
	}

	setSystem(system: string): void {
		this.#system = system;
		this.#host.touch();
	}

	setParam(key: string, value: string | boolean): void {
		this.#params = { ...this.params, [key]: value };
		this.#edited();
	}

	/** Back to the API default: the parameter is not sent. */
	resetParam(key: string): void {
		this.#params = Object.fromEntries(Object.entries(this.params).filter(([k]) => k !== key));
		this.#edited();
	}

	resetParams(): void {
		this.#params = {};
		this.#edited();
	}

	setPrices(prices: Prices): void {
		this.#prices = prices;
		this.#host.touch();
	}

	/** Choose a preset (or none: the settings stay, no longer tied to a preset). */
	pickPreset(preset: PresetRow | undefined): void {
		if (preset) this.applyPreset(preset);
		else this.#presetId = undefined;
		this.#host.touch();
	}

	/** Parameters that will be sent (set to something). */
	get setParamCount(): number {
		return Object.values(this.params).filter((v) => v !== '' && v !== undefined && v !== false)
			.length;
	}

	/**
	 * What is wrong with the endpoint before anything is sent, for the column's chip: a bad URL,
	 * no model, a model list that could not be fetched, or no key for a remote host.
	 */
	get endpointProblem(): Message | undefined {
		const resolved = resolveModeUrl(this.endpoint.baseUrl, this.mode);
		if (!resolved.ok) return resolved.message;
		const refused = Object.values(this.#fieldErrors)[0];
		if (refused) return refused;
		if (!this.model.trim()) return { key: 'endpoint.problem.noModel' };
		if (this.modelsError) return { key: 'endpoint.problem.models' };
		// Local servers (llama.cpp, vLLM, Ollama) usually take no key: no warning for them.
		if (!isDemoUrl(resolved.url) && !isLoopback(resolved.url) && !this.endpoint.apiKey.trim())
			return { key: 'endpoint.problem.noKey' };
		return undefined;
	}

	/**
	 * The column's settings differ from the preset it was set from. A preset holds chat's model
	 * and parameters: those are compared whatever mode is shown.
	 */
	differsFrom(preset: PresetRow): boolean {
		const mine = this.toRow();
		const chat = $state.snapshot(this.settingsOf('chat'));
		const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);
		return (
			!same(mine.endpoint, { ...DEFAULT_ENDPOINT, ...preset.endpoint }) ||
			chat.model !== preset.model ||
			!same(sentParams(chat.params), sentParams(preset.params)) ||
			!same(mine.prices ?? {}, preset.prices ?? {})
		);
	}

	/** A preset sets the endpoint for every mode, and chat's model and parameters. */
	applyPreset(preset: PresetRow): void {
		this.#presetId = preset.id;
		this.#endpoint = { ...DEFAULT_ENDPOINT, ...structuredClone($state.snapshot(preset.endpoint)) };
		this.#setChat({ model: preset.model, params: { ...preset.params } });
		this.#prices = { ...preset.prices };
		this.#errors = {};
	}

	#setChat(settings: ModeSettings): void {
		if (this.mode !== 'chat') this.#otherModes = { ...this.#otherModes, chat: settings };
		else {
			this.#model = settings.model;
			this.#params = settings.params;
		}
	}

	/** Copy another column's endpoint, model, system prompt and parameters. */
	copySettings(from: ColumnState): void {
		const row = from.toRow();
		this.#presetId = row.presetId;
		this.#endpoint = row.endpoint;
		this.#model = row.model;
		this.#params = row.params;
		this.#system = row.system;
		this.#prices = row.prices ?? {};
		this.#label = row.label;
		this.#mode = row.mode ?? 'chat';
		this.#otherModes = row.modes ?? {};
		this.#host.touch();
	}

	/**
	 * A new chat's column after `from`, the first column of the chat left behind: the same
	 * connection (endpoint with its key, headers and request options, mode, each mode's model,
	 * preset, prices, and how answers arrive: `stream`, `include_usage`), but the preset's
	 * parameters (none without a preset) and no system prompt. What was tuned for one
	 * conversation stays with it.
	 */
	startFrom(from: ColumnState, preset: PresetRow | undefined): void {
		const row = from.toRow();
		const chat = $state.snapshot(from.settingsOf('chat'));
		const delivery = Object.fromEntries(
			Object.entries(chat.params).filter(([k]) => DELIVERY_PARAMS.has(k))
		);
		const models = Object.entries(row.modes ?? {}).map(([mode, s]) => [
			mode,
			{ model: s.model, params: {} }
		]);
		this.#presetId = preset?.id;
		this.#endpoint = row.endpoint;
		this.#mode = row.mode ?? 'chat';
		this.#otherModes = Object.fromEntries(models);
		this.#model = row.model;
		this.#params = {};
		this.#setChat({
			model: chat.model,
			params: { ...$state.snapshot(preset?.params ?? {}), ...delivery }
		});
		this.#system = '';
		this.#prices = row.prices ?? {};
		this.#label = undefined;
		this.#errors = {};
	}

	/**
	 * Show `request` as this column's last request (an experiment's exchange opened as a
	 * conversation): masked, like any other, with the key it carries.
	 */
	recordSent(request: PreparedRequest): void {
		this.#lastRequest = { ...request, apiKey: this.endpoint.apiKey };
	}

	/**
	 * One exchange outside the thread (an experiment's cell): nothing is kept, shown or saved
	 * here. Never throws.
	 */
	ask(
		request: PreparedRequest,
		signal: AbortSignal
	): Promise<{ answer: Answer; raw: RawResponse }> {
		return runChat(request, {
			fetch: this.#fetchFor(request.url),
			signal,
			timeoutMs: this.endpoint.timeoutMs
		});
	}

	#fetchFor(url: string): typeof fetch {
		return isDemoUrl(url) ? demoFetch : globalThis.fetch.bind(globalThis);
	}

	/** Suggestions for `Model`; a failure is shown quietly and never blocks chatting. */
	async loadModels(opts: { again?: boolean } = {}): Promise<void> {
		const base = this.endpoint.baseUrl;
		const key = `${base}\n${this.endpoint.apiKey}\n${this.endpoint.authMode}`;
		if (!resolveChatUrl(base).ok || (key === this.#modelsFor && !opts.again)) return;
		// The browser would refuse these headers as a CORS failure: say what is wrong instead.
		const refused = this.#fieldErrors.apiKey ?? this.#fieldErrors.extraHeaders;
		if (refused) {
			this.#modelsFor = '';
			this.#models = [];
			this.#modelsError = refused;
			return;
		}
		this.#modelsFor = key;
		const result = await fetchModels($state.snapshot(this.endpoint), {
			fetch: this.#fetchFor(base)
		});
		if (base !== this.endpoint.baseUrl) return;
		if (result.ok) {
			this.#models = result.ids;
			this.#modelsError = undefined;
		} else {
			this.#models = [];
			this.#modelsError = result.error.message;
		}
	}

	/** Build the request for `thread`, or record why it cannot be sent. */
	prepare(thread: ChatMessage[]): PreparedRequest | undefined {
		const built = buildRequest({
			endpoint: $state.snapshot(this.endpoint),
			model: this.model.trim(),
			params: $state.snapshot(this.params),
			messages: thread,
			traceId: this.endpoint.traceId ? newTraceId() : undefined
		});
		this.#errors = built.ok ? {} : built.errors;
		return built.ok && Object.keys(this.#fieldErrors).length === 0 ? built.request : undefined;
	}

	/** The thread as chat messages, with the system prompt first. */
	async thread(upTo = this.messages.length): Promise<ChatMessage[]> {
		const system: ChatMessage[] = this.system.trim()
			? [{ role: 'system', content: this.system }]
			: [];
		return [
			...system,
			...(await toChatMessages(this.messages.slice(0, upTo), this.#host.imageUrl))
		];
	}

	/**
	 * Name the column (a sweep's `temperature 0.5`, or none). The conversation that labels its
	 * columns reports the change itself, once for all of them.
	 */
	setLabel(label: string | undefined): void {
		this.#label = label;
	}

	/**
	 * Set one parameter as the conversation does for a sweep or Apply to all: unlike
	 * {@link setParam}, the preset stays and no change is reported (the conversation reports the
	 * change once for all its columns).
	 */
	applyParam(key: string, value: ParamValues[string]): void {
		this.#params = { ...this.#params, [key]: value };
	}

	/**
	 * Replace the whole thread (a conversation loaded from storage). Nothing is saved. Only the
	 * latest messages are shown at first: opening a chat of thousands renders a screenful.
	 */
	replaceMessages(rows: MessageRow[]): void {
		this.#messages = rows;
		this.#hidden = Math.max(0, rows.length - LATEST_SHOWN);
	}

	/**
	 * The whole thread, read after the latest messages the column opened on (see
	 * replaceMessages): those keep their rows and stay in view, the older ones come unrendered.
	 */
	completeThread(rows: MessageRow[]): void {
		// A lookup for this call, not state.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const have = new Map(this.#messages.map((m) => [m.id, m]));
		const shown = this.#messages.length - this.#hidden;
		this.#messages = rows.map((r) => have.get(r.id) ?? r);
		this.#hidden = Math.max(0, this.#messages.length - shown);
	}

	/** Take messages out of the thread. Nothing is saved: the conversation deletes them. */
	removeMessages(ids: string[]): void {
		// Those not rendered yet that go make the unrendered part shorter; what is shown stays.
		const older = this.#messages.slice(0, this.#hidden).filter((m) => ids.includes(m.id)).length;
		this.#messages = this.#messages.filter((m) => !ids.includes(m.id));
		this.#hidden -= older;
	}

	/** Put messages back in the thread, in `seq` order, and in view (undo). Nothing is saved. */
	restoreMessages(rows: MessageRow[]): void {
		const ids = rows.map((r) => r.id);
		const firstShown = this.#messages[this.#hidden];
		this.#messages = [...this.#messages.filter((m) => !ids.includes(m.id)), ...rows].sort(
			(a, b) => a.seq - b.seq
		);
		const from = this.#messages.findIndex((m) => m === firstShown || ids.includes(m.id));
		this.#hidden = Math.max(0, from);
	}

	append(row: MessageRow): void {
		this.#messages = [...this.messages, row];
		this.#host.saveMessage(row, false);
	}

	replace(row: MessageRow): void {
		this.#messages = this.messages.map((m) => (m.id === row.id ? row : m));
	}

	/** Record why what was typed cannot be sent to this column; nothing is built. */
	refuse(errors: Record<string, Message>): undefined {
		this.#errors = errors;
		return undefined;
	}

	/**
	 * Build a media turn's request (in the mode of `ask`, with that mode's model and parameters),
	 * or record why it cannot be sent: `file` when a transcription has no file.
	 */
	prepareMedia(
		mode: MediaMode,
		ask: { input: MediaInput; params: ParamValues } | undefined
	): PreparedMediaRequest | undefined {
		if (!ask) {
			this.#errors = { file: { key: 'media.error.file' } };
			return undefined;
		}
		const settings = $state.snapshot(this.settingsOf(mode));
		const built = buildMediaRequest({
			endpoint: $state.snapshot(this.endpoint),
			model: settings.model.trim(),
			input: ask.input,
			params: { ...settings.params, ...ask.params },
			traceId: this.endpoint.traceId ? newTraceId() : undefined
		});
		this.#errors = built.ok ? {} : built.errors;
		return built.ok && Object.keys(this.#fieldErrors).length === 0 ? built.request : undefined;
	}

	/**
	 * The request for the thread as it stands (Retry, Regenerate, Edit): a media prompt is asked
	 * again in its own mode, anything else continues the chat.
	 */
	async #again(): Promise<AnyRequest | undefined> {
		const turn = this.messages.findLast((m) => m.role === 'user');
		if (!turn?.mode) return this.prepare(await this.thread());
		const file = turn.mode === 'transcription' ? await fileOf(turn, this.#host.audio) : undefined;
		return this.prepareMedia(turn.mode, mediaAsk(turn.mode, turn.content, file));
	}

	/**
	 * Ask for the next answer to the thread as it stands (or send `prepared`, the request Send
	 * already built for it): a chat answer, or a media result. Never throws.
	 */
	async run(prepared?: AnyRequest): Promise<Answer | undefined> {
		if (this.streaming) return undefined;
		const request = prepared ?? (await this.#again());
		if (!request) return undefined;
		this.#lastRequest = { ...request, apiKey: this.endpoint.apiKey };
		this.#lastRaw = undefined;
		this.#liveAudio = undefined;
		const now = Date.now();
		const row: MessageRow = {
			id: newId(),
			conversationId: this.#host.conversationId,
			columnId: this.id,
			seq: (this.messages.at(-1)?.seq ?? 0) + 1,
			role: 'assistant',
			content: '',
			answer: { choices: [], timing: { startedAt: performance.now() }, status: 'streaming' },
			...(isMediaRequest(request) ? { mode: request.mode } : {}),
			createdAt: now,
			updatedAt: now
		};
		this.append(row);
		this.#liveId = row.id;
		this.#live = row.answer;
		const controller = new AbortController();
		this.#controller = controller;
		const options = {
			fetch: this.#fetchFor(request.url),
			signal: controller.signal,
			timeoutMs: this.endpoint.timeoutMs,
			onRaw: (update: RawResponse) => (this.#lastRaw = update)
		};
		const { settled, raw } = isMediaRequest(request)
			? await this.#media(request, row, options)
			: await this.#chat(request, row, options);
		this.#lastRaw = raw;
		this.replace(settled);
		this.#live = undefined;
		this.#liveId = undefined;
		this.#controller = undefined;
		this.#host.saveMessage(settled, false);
		return settled.answer;
	}

	async #chat(
		request: PreparedRequest,
		row: MessageRow,
		options: SharedRunOptions
	): Promise<{ settled: MessageRow; raw: RawResponse }> {
		const frame = frameCoalescer<Answer>((answer) => (this.#live = answer), {
			minInterval: liveInterval
		});
		const { answer, raw } = await runChat(request, {
			...options,
			onUpdate: (update) => {
				frame.push(update);
				this.#host.saveMessage({ ...row, answer: update }, true);
			}
		});
		frame.cancel();
		return { settled: { ...row, answer, updatedAt: Date.now() }, raw };
	}

	/** A media result: a streamed transcript shows as it comes, speech plays as it downloads. */
	async #media(
		request: PreparedMediaRequest,
		row: MessageRow,
		options: SharedRunOptions
	): Promise<{ settled: MessageRow; raw: RawResponse }> {
		// Loaded on a column's first media request: chat-only users never fetch it.
		const { runMedia } = await import('../wire/media.ts');
		const frame = frameCoalescer<MessageRow>((update) => this.replace(update));
		const { result, raw } = await runMedia(request, {
			...options,
			onUpdate: (update) => {
				const pending = pendingMedia(row, update);
				frame.push(pending);
				this.#host.saveMessage(pending, true);
			},
			onAudio: (stream, type) => (this.#liveAudio = { id: row.id, stream, type })
		});
		frame.cancel();
		try {
			return { settled: await settleMedia(row, result, this.#host.putFile), raw };
		} catch (err) {
			// Storage refused the files (quota): the figures and the reason stay in the thread.
			const error: WireError = {
				kind: 'invalid',
				message: { key: 'modes.error.notStored' },
				detail: String(err)
			};
			const answer: Answer = { choices: [], timing: result.timing, status: 'failed', error };
			return { settled: { ...row, answer }, raw };
		}
	}

	stop(): void {
		this.#controller?.abort();
	}
}

/** What a chat and a media run share: where to fetch, Stop, the idle limit, the raw view. */
type SharedRunOptions = Pick<RunOptions, 'fetch' | 'signal' | 'timeoutMs' | 'onRaw'>;

/** Messages rendered when a thread opens: more than a tall screen holds, at little cost. */
export const LATEST_SHOWN = 20;

/** Up to this much text an answer shows every frame's update. */
const LIVE_EVERY_FRAME = 16_384;

/**
 * How long a streaming answer waits between view updates (ms): every frame while short, then
 * longer as it grows (a millisecond per 512 characters, at most 100): each update lays out and
 * paints an element that grows with the answer, so a long one updating every frame spends the
 * frame on that.
 */
export function liveInterval(answer: Answer): number {
	let chars = 0;
	for (const c of answer.choices) chars += c.content.length + c.reasoning.length;
	return chars < LIVE_EVERY_FRAME ? 0 : Math.min(100, chars / 512);
}
/** Older messages rendered at a time as the reader scrolls up: one short task each. */
export const OLDER_BATCH = 20;

/** Parameters that say how answers arrive rather than what is asked: New chat keeps them. */
const DELIVERY_PARAMS: ReadonlySet<string> = new Set(['stream', 'include_usage']);

function isLoopback(url: string): boolean {
	const host = new URL(url).hostname;
	return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/** Parameters as sent: empty values are not sent, so they do not count as a difference. */
function sentParams(params: ParamValues): ParamValues {
	return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
}

/** JSON with sorted keys, so two equal objects compare equal whatever their key order. */
function stableJson(value: unknown): string {
	return JSON.stringify(value, (_k, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
			: v
	);
}
