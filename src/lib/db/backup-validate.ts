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
import {
	arr,
	check,
	checkConversation,
	checkMessage,
	checkPreset,
	Invalid,
	isObj,
	num,
	obj,
	repairMessage,
	str,
	uniqueIds,
	type Obj
} from './row-check.ts';

export { Invalid } from './row-check.ts';
import { checkExperiments } from './experiment-check.ts';
import type { ExperimentRow, ResultRow } from './experiment-rows.ts';
import { rasterType } from '../util/raster.ts';
import { audioType } from '../util/audio.ts';

export const BACKUP_FORMAT = 'switchboard-backup';
/**
 * Version 2 stores an assistant's text and tool calls once (see assistantOnce); version 3 adds
 * experiments and their results. Older versions still import.
 */
export const BACKUP_VERSION = 3;
const READABLE_VERSIONS: readonly unknown[] = [1, 2, BACKUP_VERSION];

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
	experiments: ExperimentRow[];
	results: ResultRow[];
}

/** A checked backup, its images already decoded. */
export interface CheckedBackup {
	presets: PresetRow[];
	conversations: ConversationRow[];
	messages: MessageRow[];
	blobs: BlobRow[];
	experiments: ExperimentRow[];
	results: ResultRow[];
}

/**
 * No `__proto__` keys anywhere: assigned or merged later, one replaces an object's prototype.
 * `constructor` and `prototype` are ordinary data keys (a server's `usage` may hold one): the
 * app never deep-merges stored objects, so they reach no prototype, and refusing them made
 * the app's own exports unimportable.
 */
function hostileKeys(value: unknown, path: string, depth = 0): void {
	if (depth > 64) throw new Invalid(`${path}: nested too deeply`);
	if (Array.isArray(value)) value.forEach((v, i) => hostileKeys(v, `${path}[${i}]`, depth + 1));
	else if (isObj(value))
		for (const k of Object.keys(value)) {
			if (k === '__proto__') throw new Invalid(`${path}.${k}: not allowed`);
			hostileKeys(value[k], `${path}.${k}`, depth + 1);
		}
}

function checkMessageIn(
	m: Obj,
	path: string,
	columns: Map<string, Set<string>>,
	blobs: Set<string>
): void {
	const files = checkMessage(m, path);
	const own = columns.get(String(m.conversationId));
	check(own !== undefined, `${path}.conversationId`, 'a conversation in this file');
	check(own.has(String(m.columnId)), `${path}.columnId`, 'a column of its conversation');
	(m.parts as Obj[] | undefined)?.forEach((p, j) => {
		if (p.type === 'image')
			check(blobs.has(String(p.blobId)), `${path}.parts[${j}].blobId`, 'an image in this file');
	});
	for (const id of files) check(blobs.has(id), `${path}.media`, `a file in this file (${id})`);
}

/**
 * atob accepts only well-formed base64: a bad length or character is a bad file, not a crash.
 * The bytes must be a raster image, typed by what they are rather than by the file's `mime`, or
 * audio (speech, a file to transcribe) typed `audio/…`: an SVG or HTML page shown through a
 * blob: URL would run at the app's origin. Such a file is
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
	const mime = audioType(String(b.mime)) ?? rasterType(bytes);
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
	// Repaired as a conversation is when it loads, so an export of it imports again.
	const messages = arr(file.messages, 'messages').map((m) => (isObj(m) ? repairMessage(m) : m));
	const blobs = arr(file.blobs, 'blobs');
	// Files before version 3 have no experiments.
	const experiments = file.experiments === undefined ? [] : arr(file.experiments, 'experiments');
	const results = file.results === undefined ? [] : arr(file.results, 'results');
	hostileKeys(file, '(file)');
	for (const [table, items] of Object.entries({ presets, conversations, messages, blobs }))
		uniqueIds(items, table);

	presets.forEach((p, i) => checkPreset(obj(p, `presets[${i}]`), `presets[${i}]`));
	const columns = new Map<string, Set<string>>();
	conversations.forEach((c, i) =>
		columns.set(
			String((c as Obj).id),
			checkConversation(obj(c, `conversations[${i}]`), `conversations[${i}]`)
		)
	);
	const blobRows = blobs.map((b, i) => decodeBlob(b as Obj, `blobs[${i}]`));
	const blobIds = new Set(blobRows.map((b) => b.id));
	messages.forEach((m, i) =>
		checkMessageIn(obj(m, `messages[${i}]`), `messages[${i}]`, columns, blobIds)
	);
	checkExperiments(experiments, results);

	// Every field read by the app has been checked above, so the rows have their declared types.
	return {
		presets: presets as PresetRow[],
		conversations: conversations as ConversationRow[],
		messages: (messages as MessageRow[]).map(assistantOnce),
		blobs: blobRows,
		experiments: experiments as ExperimentRow[],
		results: results as ResultRow[]
	};
}
