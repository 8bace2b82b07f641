/**
 * Checks a parsed backup in one pass, before anything is written: every field the app reads
 * is typed, ids are unique, references resolve, images decode. A failure names its path,
 * e.g. `conversations[3].columns: expected an array`.
 */
import {
	assistantOnce,
	type BlobRow,
	type ConversationRow,
	type MessageRow,
	type PresetRow
} from './rows.ts';
import { AUTH_MODES, ROLES, TOKEN_LIMIT_FIELDS } from '../wire/types.ts';
import { ANSWER_STATUSES } from '../app-types.ts';
import { rasterType } from '../util/raster.ts';

export const BACKUP_FORMAT = 'switchboard-backup';
/** Version 2 stores an assistant's text and tool calls once (see assistantOnce); 1 still imports. */
export const BACKUP_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, BACKUP_VERSION];

export interface BackupBlob {
	id: string;
	mime: string;
	createdAt: number;
	base64: string;
}

export interface Backup {
	format: typeof BACKUP_FORMAT;
	version: number;
	exportedAt: string;
	presets: PresetRow[];
	conversations: ConversationRow[];
	messages: MessageRow[];
	blobs: BackupBlob[];
}

/** A checked backup, its images already decoded. */
export interface CheckedBackup {
	presets: PresetRow[];
	conversations: ConversationRow[];
	messages: MessageRow[];
	blobs: BlobRow[];
}

export class Invalid extends Error {}

type Obj = Record<string, unknown>;

function check(cond: boolean, path: string, expected: string): asserts cond {
	if (!cond) throw new Invalid(`${path}: expected ${expected}`);
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Obj {
	check(isObj(v), path, 'an object');
	return v;
}
function arr(v: unknown, path: string): unknown[] {
	check(Array.isArray(v), path, 'an array');
	return v;
}
function str(o: Obj, k: string, path: string): string {
	const v = o[k];
	check(typeof v === 'string', `${path}.${k}`, 'a string');
	return v;
}
function num(o: Obj, k: string, path: string): void {
	const v = o[k];
	check(typeof v === 'number' && Number.isFinite(v), `${path}.${k}`, 'a number');
}
function oneOf(o: Obj, k: string, allowed: readonly string[], path: string): void {
	check(allowed.includes(String(o[k])), `${path}.${k}`, allowed.join(', '));
}
/** Optional fields may be absent, but when present they must have their type. */
function opt(o: Obj, k: string, test: (o: Obj, k: string, path: string) => void, path: string) {
	if (o[k] !== undefined) test(o, k, path);
}
const objField = (o: Obj, k: string, path: string) => void obj(o[k], `${path}.${k}`);
const arrField = (o: Obj, k: string, path: string) => void arr(o[k], `${path}.${k}`);

/** No `__proto__`/`constructor`/`prototype` keys anywhere: merged later, they pollute prototypes. */
function hostileKeys(value: unknown, path: string, depth = 0): void {
	if (depth > 64) throw new Invalid(`${path}: nested too deeply`);
	if (Array.isArray(value)) value.forEach((v, i) => hostileKeys(v, `${path}[${i}]`, depth + 1));
	else if (isObj(value))
		for (const k of Object.keys(value)) {
			if (k === '__proto__' || k === 'constructor' || k === 'prototype')
				throw new Invalid(`${path}.${k}: not allowed`);
			hostileKeys(value[k], `${path}.${k}`, depth + 1);
		}
}

/** Each table's ids must be present and unique within it. */
function uniqueIds(items: unknown[], table: string): void {
	const seen = new Set<string>();
	items.forEach((item, i) => {
		const path = `${table}[${i}]`;
		const id = str(obj(item, path), 'id', path);
		check(id.length > 0 && !seen.has(id), `${path}.id`, 'a unique id');
		seen.add(id);
	});
}

function checkEndpoint(o: Obj, k: string, path: string): void {
	const p = `${path}.${k}`;
	const e = obj(o[k], p);
	for (const f of ['baseUrl', 'apiKey', 'authHeader', 'extraHeaders']) str(e, f, p);
	oneOf(e, 'authMode', AUTH_MODES, p);
	oneOf(e, 'tokenLimitField', TOKEN_LIMIT_FIELDS, p);
	check(typeof e.traceId === 'boolean', `${p}.traceId`, 'true or false');
	num(e, 'timeoutMs', p);
}

/** Endpoint, model and parameters: shared by presets and conversation columns. */
function checkSettings(o: Obj, path: string): void {
	checkEndpoint(o, 'endpoint', path);
	str(o, 'model', path);
	objField(o, 'params', path);
	opt(o, 'prices', objField, path);
}

function checkPreset(p: Obj, path: string): void {
	str(p, 'name', path);
	checkSettings(p, path);
	num(p, 'createdAt', path);
	num(p, 'updatedAt', path);
}

/** Returns the conversation's column ids, which its messages must point at. */
function checkConversation(c: Obj, path: string): Set<string> {
	str(c, 'title', path);
	num(c, 'createdAt', path);
	num(c, 'updatedAt', path);
	const columns = arr(c.columns, `${path}.columns`);
	check(columns.length > 0, `${path}.columns`, 'a non-empty array');
	uniqueIds(columns, `${path}.columns`);
	columns.forEach((col, j) => {
		const p = `${path}.columns[${j}]`;
		const column = obj(col, p);
		checkSettings(column, p);
		str(column, 'system', p);
		opt(column, 'presetId', str, p);
		opt(column, 'label', str, p);
	});
	return new Set(columns.map((col) => String((col as Obj).id)));
}

function checkPart(part: Obj, path: string, blobs: Set<string>): void {
	if (part.type === 'text') str(part, 'text', path);
	else if (part.type === 'image_url') str(part, 'url', path);
	else if (part.type === 'image') {
		str(part, 'mime', path);
		check(blobs.has(str(part, 'blobId', path)), `${path}.blobId`, 'an image in this file');
	} else check(false, `${path}.type`, 'text, image or image_url');
}

function checkAnswer(a: Obj, path: string): void {
	arr(a.choices, `${path}.choices`).forEach((ch, i) => {
		const p = `${path}.choices[${i}]`;
		const choice = obj(ch, p);
		num(choice, 'index', p);
		str(choice, 'content', p);
		str(choice, 'reasoning', p);
		arrField(choice, 'toolCalls', p);
	});
	const timing = obj(a.timing, `${path}.timing`);
	num(timing, 'startedAt', `${path}.timing`);
	opt(timing, 'firstTokenAt', num, `${path}.timing`);
	opt(timing, 'endedAt', num, `${path}.timing`);
	oneOf(a, 'status', ANSWER_STATUSES, path);
	opt(a, 'usage', objField, path);
	opt(a, 'error', objField, path);
}

function checkMessage(m: Obj, path: string, columns: Map<string, Set<string>>, blobs: Set<string>) {
	const own = columns.get(str(m, 'conversationId', path));
	check(own !== undefined, `${path}.conversationId`, 'a conversation in this file');
	check(own.has(str(m, 'columnId', path)), `${path}.columnId`, 'a column of its conversation');
	num(m, 'seq', path);
	oneOf(m, 'role', ROLES, path);
	str(m, 'content', path);
	num(m, 'createdAt', path);
	num(m, 'updatedAt', path);
	opt(m, 'toolCallId', str, path);
	opt(m, 'toolCalls', arrField, path); // version 1
	if (m.parts !== undefined)
		arr(m.parts, `${path}.parts`).forEach((p, j) =>
			checkPart(obj(p, `${path}.parts[${j}]`), `${path}.parts[${j}]`, blobs)
		);
	if (m.answer !== undefined) checkAnswer(obj(m.answer, `${path}.answer`), `${path}.answer`);
}

/**
 * atob accepts only well-formed base64: a bad length or character is a bad file, not a crash.
 * The bytes must be a raster image, typed by what they are rather than by the file's `mime`: an
 * SVG or HTML page shown through a blob: URL would run at the app's origin. Such a file is
 * refused whole, like any other tampered field, rather than imported with holes.
 */
function decodeBlob(b: Obj, path: string): BlobRow {
	str(b, 'mime', path);
	num(b, 'createdAt', path);
	let binary: string;
	try {
		binary = atob(str(b, 'base64', path));
	} catch {
		throw new Invalid(`${path}.base64: expected base64 data`);
	}
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	const mime = rasterType(bytes);
	check(mime !== undefined, path, 'a png, jpeg, gif, webp or avif image');
	return {
		id: String(b.id),
		mime,
		createdAt: b.createdAt as number,
		blob: new Blob([bytes], { type: mime })
	};
}

/** Throws `Invalid` naming the first problem; otherwise returns the rows to write. */
export function validateBackup(data: unknown): CheckedBackup {
	const file = obj(data, '(file)');
	check(file.format === BACKUP_FORMAT, 'format', `"${BACKUP_FORMAT}"`);
	check(READABLE_VERSIONS.includes(file.version), 'version', READABLE_VERSIONS.join(' or '));
	const presets = arr(file.presets, 'presets');
	const conversations = arr(file.conversations, 'conversations');
	const messages = arr(file.messages, 'messages');
	const blobs = arr(file.blobs, 'blobs');
	hostileKeys(file, '(file)');
	for (const [table, items] of Object.entries({ presets, conversations, messages, blobs }))
		uniqueIds(items, table);

	presets.forEach((p, i) => checkPreset(p as Obj, `presets[${i}]`));
	const columns = new Map<string, Set<string>>();
	conversations.forEach((c, i) =>
		columns.set(String((c as Obj).id), checkConversation(c as Obj, `conversations[${i}]`))
	);
	const blobRows = blobs.map((b, i) => decodeBlob(b as Obj, `blobs[${i}]`));
	const blobIds = new Set(blobRows.map((b) => b.id));
	messages.forEach((m, i) => checkMessage(m as Obj, `messages[${i}]`, columns, blobIds));

	// Every field read by the app has been checked above, so the rows have their declared types.
	return {
		presets: presets as PresetRow[],
		conversations: conversations as ConversationRow[],
		messages: (messages as MessageRow[]).map(assistantOnce),
		blobs: blobRows
	};
}
