/**
 * One set of checks for stored rows, used when a backup is imported and when a conversation
 * loads: every field the app reads has its type and a size it can show. A failure names its
 * path and what was expected, e.g. `conversations[3].title: expected at most 1000 characters`.
 */
import { assistantOnce, type LegacyMessageRow, type MessageRow } from './rows.ts';
import { AUTH_MODES, MODES, ROLES, TOKEN_LIMIT_FIELDS } from '../wire/types.ts';
import { ANSWER_STATUSES } from '../app-types.ts';

/**
 * The largest values a row may hold. A huge title is read at every start (History), so one
 * of 100 MB would crash the tab each time; the others bound what a conversation loads.
 */
export const LIMITS = {
	/** Row ids, tool-call ids. */
	id: 200,
	title: 1_000,
	/** Preset names, column labels, tool names, MIME types, finish reasons. */
	name: 500,
	model: 500,
	baseUrl: 4_096,
	apiKey: 8_192,
	/** All extra header lines of an endpoint together. */
	headers: 16_384,
	system: 1_000_000,
	/** A message's text, an answer's content or reasoning, tool arguments, error details. */
	text: 4_000_000,
	/** One parameter value, e.g. a tools or JSON-schema definition. */
	param: 1_000_000,
	/** An image part may be a data: URL. */
	imageUrl: 30_000_000,
	/** As many as the app lets a conversation have (MAX_COLUMNS). */
	columns: 12,
	choices: 128,
	toolCalls: 1_000
} as const;

export class Invalid extends Error {}

const MEDIA_MODES = MODES.filter((m) => m !== 'chat');

export type Obj = Record<string, unknown>;

export function check(cond: boolean, path: string, expected: string): asserts cond {
	if (!cond) throw new Invalid(`${path}: expected ${expected}`);
}
export const isObj = (v: unknown): v is Obj =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

export function obj(v: unknown, path: string): Obj {
	check(isObj(v), path, 'an object');
	return v;
}
export function arr(v: unknown, path: string, max = Infinity): unknown[] {
	check(Array.isArray(v), path, 'an array');
	check(v.length <= max, path, `at most ${max} entries`);
	return v;
}
/** `max` is required but for base64 image data, which only the backup's file size bounds. */
export function str(o: Obj, k: string, path: string, max = Infinity): string {
	const v = o[k];
	check(typeof v === 'string', `${path}.${k}`, 'a string');
	check(v.length <= max, `${path}.${k}`, `at most ${max} characters`);
	return v;
}
/** A string field of at most `max` characters, for `opt`. */
export const text =
	(max: number) =>
	(o: Obj, k: string, path: string): void =>
		void str(o, k, path, max);
export function num(o: Obj, k: string, path: string): void {
	const v = o[k];
	check(typeof v === 'number' && Number.isFinite(v), `${path}.${k}`, 'a number');
}
export function oneOf(o: Obj, k: string, allowed: readonly string[], path: string): void {
	check(allowed.includes(String(o[k])), `${path}.${k}`, allowed.join(', '));
}
/** Optional fields may be absent, but when present they must have their type. */
export function opt(
	o: Obj,
	k: string,
	test: (o: Obj, k: string, path: string) => void,
	path: string
) {
	if (o[k] !== undefined) test(o, k, path);
}
/** Usage comes from servers, which send `null` for what they do not count. */
function optNum(o: Obj, k: string, path: string): void {
	if (o[k] !== undefined && o[k] !== null) num(o, k, path);
}

/** Each list's ids must be present and unique within it. */
export function uniqueIds(items: unknown[], table: string): void {
	const seen = new Set<string>();
	items.forEach((item, i) => {
		const path = `${table}[${i}]`;
		const id = str(obj(item, path), 'id', path, LIMITS.id);
		check(id.length > 0 && !seen.has(id), `${path}.id`, 'a unique id');
		seen.add(id);
	});
}

function checkEndpoint(o: Obj, k: string, path: string): void {
	const p = `${path}.${k}`;
	const e = obj(o[k], p);
	str(e, 'baseUrl', p, LIMITS.baseUrl);
	str(e, 'apiKey', p, LIMITS.apiKey);
	str(e, 'authHeader', p, LIMITS.name);
	str(e, 'extraHeaders', p, LIMITS.headers);
	oneOf(e, 'authMode', AUTH_MODES, p);
	oneOf(e, 'tokenLimitField', TOKEN_LIMIT_FIELDS, p);
	check(typeof e.traceId === 'boolean', `${p}.traceId`, 'true or false');
	num(e, 'timeoutMs', p);
}

/** Parameters as typed: text or a switch per key. */
function checkParams(o: Obj, k: string, path: string): void {
	const params = obj(o[k], `${path}.${k}`);
	for (const key of Object.keys(params))
		if (typeof params[key] !== 'boolean') str(params, key, `${path}.${k}`, LIMITS.param);
}

function checkPrices(o: Obj, k: string, path: string): void {
	const prices = obj(o[k], `${path}.${k}`);
	opt(prices, 'input', num, `${path}.${k}`);
	opt(prices, 'output', num, `${path}.${k}`);
}

/** Endpoint, model and parameters: shared by presets and conversation columns. */
function checkSettings(o: Obj, path: string): void {
	checkEndpoint(o, 'endpoint', path);
	str(o, 'model', path, LIMITS.model);
	checkParams(o, 'params', path);
	opt(o, 'prices', checkPrices, path);
}

export function checkPreset(p: Obj, path: string): void {
	str(p, 'name', path, LIMITS.name);
	checkSettings(p, path);
	num(p, 'createdAt', path);
	num(p, 'updatedAt', path);
}

/** Returns the conversation's column ids, which its messages must point at. */
export function checkConversation(c: Obj, path: string): Set<string> {
	str(c, 'id', path, LIMITS.id);
	str(c, 'title', path, LIMITS.title);
	num(c, 'createdAt', path);
	num(c, 'updatedAt', path);
	const columns = arr(c.columns, `${path}.columns`, LIMITS.columns);
	check(columns.length > 0, `${path}.columns`, 'a non-empty array');
	uniqueIds(columns, `${path}.columns`);
	columns.forEach((col, j) =>
		checkColumn(obj(col, `${path}.columns[${j}]`), `${path}.columns[${j}]`)
	);
	return new Set(columns.map((col) => String((col as Obj).id)));
}

/** A conversation's column, or an experiment's target: settings, system prompt, label. */
export function checkColumn(column: Obj, path: string): void {
	str(column, 'id', path, LIMITS.id);
	checkSettings(column, path);
	str(column, 'system', path, LIMITS.system);
	opt(column, 'presetId', text(LIMITS.id), path);
	opt(column, 'label', text(LIMITS.name), path);
	opt(column, 'mode', (o, k, p) => oneOf(o, k, MODES, p), path);
	opt(column, 'modes', checkModes, path);
}

/** The model and parameters a column keeps for each mode it is not showing. */
function checkModes(o: Obj, k: string, path: string): void {
	const modes = obj(o[k], `${path}.${k}`);
	for (const mode of Object.keys(modes)) {
		const p = `${path}.${k}.${mode}`;
		check((MODES as readonly string[]).includes(mode), p, `one of ${MODES.join(', ')}`);
		const settings = obj(modes[mode], p);
		str(settings, 'model', p, LIMITS.model);
		checkParams(settings, 'params', p);
	}
}

/** Returns the image's blob id, when the part is a stored image. */
function checkPart(part: Obj, path: string): string | undefined {
	if (part.type === 'text') str(part, 'text', path, LIMITS.text);
	else if (part.type === 'image_url') str(part, 'url', path, LIMITS.imageUrl);
	else if (part.type === 'image') {
		str(part, 'mime', path, LIMITS.name);
		return str(part, 'blobId', path, LIMITS.id);
	} else check(false, `${path}.type`, 'text, image or image_url');
	return undefined;
}

/** Returns the file's blob id. */
function checkFile(o: Obj, k: string, path: string): string {
	const p = `${path}.${k}`;
	const file = obj(o[k], p);
	str(file, 'mime', p, LIMITS.name);
	num(file, 'size', p);
	opt(file, 'name', text(LIMITS.name), p);
	return str(file, 'blobId', p, LIMITS.id);
}

/** A media turn's files and transcript; returns the blob ids it points at. */
function checkMedia(media: Obj, path: string): string[] {
	const ids: string[] = [];
	const file = (o: Obj, k: string, p: string) => void ids.push(checkFile(o, k, p));
	opt(media, 'input', file, path);
	opt(media, 'audio', file, path);
	if (media.images !== undefined)
		arr(media.images, `${path}.images`, LIMITS.choices).forEach((img, i) => {
			const p = `${path}.images[${i}]`;
			const image = obj(img, p);
			opt(image, 'file', file, p);
			opt(image, 'url', text(LIMITS.imageUrl), p);
			opt(image, 'revisedPrompt', text(LIMITS.text), p);
		});
	if (media.transcript !== undefined) {
		const p = `${path}.transcript`;
		const transcript = obj(media.transcript, p);
		str(transcript, 'text', p, LIMITS.text);
		str(transcript, 'format', p, LIMITS.name);
		opt(transcript, 'language', text(LIMITS.name), p);
		opt(transcript, 'duration', num, p);
		if (transcript.segments !== undefined)
			arr(transcript.segments, `${p}.segments`).forEach((seg, i) => {
				const sp = `${p}.segments[${i}]`;
				const segment = obj(seg, sp);
				num(segment, 'start', sp);
				num(segment, 'end', sp);
				str(segment, 'text', sp, LIMITS.text);
			});
	}
	return ids;
}

function checkToolCalls(o: Obj, k: string, path: string): void {
	arr(o[k], `${path}.${k}`, LIMITS.toolCalls).forEach((c, i) => {
		const p = `${path}.${k}[${i}]`;
		const call = obj(c, p);
		str(call, 'id', p, LIMITS.id);
		oneOf(call, 'type', ['function'], p);
		const fn = obj(call.function, `${p}.function`);
		str(fn, 'name', `${p}.function`, LIMITS.name);
		str(fn, 'arguments', `${p}.function`, LIMITS.text);
	});
}

export function checkUsage(o: Obj, k: string, path: string): void {
	const p = `${path}.${k}`;
	const usage = obj(o[k], p);
	for (const f of ['prompt_tokens', 'completion_tokens', 'total_tokens']) optNum(usage, f, p);
	for (const [f, count] of [
		['completion_tokens_details', 'reasoning_tokens'],
		['prompt_tokens_details', 'cached_tokens']
	] as const)
		if (usage[f] !== undefined && usage[f] !== null)
			optNum(obj(usage[f], `${p}.${f}`), count, `${p}.${f}`);
}

/** A `Message`: an i18n key and its variables. */
export function checkText(o: Obj, k: string, path: string): void {
	const p = `${path}.${k}`;
	const m = obj(o[k], p);
	str(m, 'key', p, LIMITS.name);
	if (m.vars === undefined) return;
	const vars = obj(m.vars, `${p}.vars`);
	for (const v of Object.keys(vars))
		if (typeof vars[v] !== 'number') str(vars, v, `${p}.vars`, LIMITS.text);
}

export function checkError(o: Obj, k: string, path: string): void {
	const p = `${path}.${k}`;
	const e = obj(o[k], p);
	str(e, 'kind', p, LIMITS.name);
	checkText(e, 'message', p);
	opt(e, 'hint', checkText, p);
	opt(e, 'detail', text(LIMITS.text), p);
	opt(e, 'status', num, p);
	opt(e, 'retryAfter', num, p);
}

function checkAnswer(a: Obj, path: string): void {
	arr(a.choices, `${path}.choices`, LIMITS.choices).forEach((ch, i) => {
		const p = `${path}.choices[${i}]`;
		const choice = obj(ch, p);
		num(choice, 'index', p);
		str(choice, 'content', p, LIMITS.text);
		str(choice, 'reasoning', p, LIMITS.text);
		checkToolCalls(choice, 'toolCalls', p);
		opt(choice, 'finishReason', text(LIMITS.name), p);
		opt(choice, 'refusal', text(LIMITS.text), p);
	});
	const timing = obj(a.timing, `${path}.timing`);
	num(timing, 'startedAt', `${path}.timing`);
	opt(timing, 'firstTokenAt', num, `${path}.timing`);
	opt(timing, 'endedAt', num, `${path}.timing`);
	oneOf(a, 'status', ANSWER_STATUSES, path);
	opt(a, 'model', text(LIMITS.model), path);
	opt(a, 'usage', checkUsage, path);
	opt(a, 'error', checkError, path);
}

/**
 * A message row on its own (what it points at is the caller's to check). Returns the blob ids
 * of its stored images and media.
 */
export function checkMessage(m: Obj, path: string): string[] {
	str(m, 'id', path, LIMITS.id);
	str(m, 'conversationId', path, LIMITS.id);
	str(m, 'columnId', path, LIMITS.id);
	num(m, 'seq', path);
	oneOf(m, 'role', ROLES, path);
	str(m, 'content', path, LIMITS.text);
	num(m, 'createdAt', path);
	num(m, 'updatedAt', path);
	opt(m, 'toolCallId', text(LIMITS.id), path);
	opt(m, 'toolCalls', checkToolCalls, path); // backup version 1, schema version 4
	const blobIds: string[] = [];
	if (m.parts !== undefined)
		arr(m.parts, `${path}.parts`).forEach((p, j) => {
			const blobId = checkPart(obj(p, `${path}.parts[${j}]`), `${path}.parts[${j}]`);
			if (blobId !== undefined) blobIds.push(blobId);
		});
	if (m.answer !== undefined) checkAnswer(obj(m.answer, `${path}.answer`), `${path}.answer`);
	opt(m, 'mode', (o, k, p) => oneOf(o, k, MEDIA_MODES, p), path);
	if (m.media !== undefined)
		blobIds.push(...checkMedia(obj(m.media, `${path}.media`), `${path}.media`));
	return blobIds;
}

/** Tool-call lists with holes or `null`s (a server's gaps in its indexes) keep only the calls. */
function dense(list: unknown): unknown {
	return Array.isArray(list) ? list.filter((c) => c !== null && c !== undefined) : list;
}

/** The obvious repairs, before checking: nothing a reader could miss is dropped. */
export function repairMessage(m: Obj): Obj {
	const out: Obj = { ...m };
	if (m.toolCalls !== undefined) out.toolCalls = dense(m.toolCalls);
	if (isObj(m.answer) && Array.isArray(m.answer.choices))
		out.answer = {
			...m.answer,
			choices: m.answer.choices.map((c: unknown) =>
				isObj(c) ? { ...c, toolCalls: dense(c.toolCalls) } : c
			)
		};
	return out;
}

/**
 * A stored message as the app can show it: checked and repaired where obvious, or, when it
 * cannot be read, a placeholder in its place that says so and names it. The placeholder is a
 * settled answer with nothing in it, so it is never sent and never replaces a turn.
 */
export function readMessage(raw: unknown): MessageRow {
	const row = isObj(raw) ? repairMessage(raw) : {};
	try {
		checkMessage(row, 'message');
		return assistantOnce(row as unknown as LegacyMessageRow);
	} catch (err) {
		if (!(err instanceof Invalid)) throw err;
		const at = (k: string) => (typeof row[k] === 'number' ? (row[k] as number) : 0);
		return {
			id: String(row.id),
			conversationId: String(row.conversationId),
			columnId: String(row.columnId),
			seq: at('seq'),
			role: 'assistant',
			content: '',
			answer: {
				choices: [],
				timing: { startedAt: 0 },
				status: 'done',
				error: {
					kind: 'invalid',
					message: { key: 'db.unreadable', vars: { id: String(row.id), detail: err.message } }
				}
			},
			createdAt: at('createdAt'),
			updatedAt: at('updatedAt')
		};
	}
}
