/**
 * All data as one JSON file, and back. Import checks the whole file before it writes anything,
 * then writes in one transaction: a bad file changes nothing.
 */
import type { SwitchboardDb } from './schema.ts';
import type { BlobRow, ConversationRow, MessageRow, PresetRow } from './rows.ts';
import type { Message } from '../wire/types.ts';

export const BACKUP_FORMAT = 'switchboard-backup';
export const BACKUP_VERSION = 1;
/** Larger files are refused before parsing: nothing we write comes near it. */
const MAX_BYTES = 512 * 1024 * 1024;

interface BackupBlob {
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

async function toBase64(blob: Blob): Promise<string> {
	const bytes = new Uint8Array(await blob.arrayBuffer());
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

function fromBase64(text: string, mime: string): Blob {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return new Blob([bytes], { type: mime });
}

export async function exportAll(db: SwitchboardDb, opts: { includeKeys: boolean }): Promise<Blob> {
	const [presets, conversations, messages, blobs] = await db.transaction(
		'r',
		[db.presets, db.conversations, db.messages, db.blobs],
		() =>
			Promise.all([
				db.presets.toArray(),
				db.conversations.toArray(),
				db.messages.toArray(),
				db.blobs.toArray()
			])
	);
	const strip = <T extends { endpoint: { apiKey: string } }>(x: T): T =>
		opts.includeKeys ? x : { ...x, endpoint: { ...x.endpoint, apiKey: '' } };
	const backup: Backup = {
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		exportedAt: new Date().toISOString(),
		presets: presets.map(strip),
		conversations: conversations.map((c) => ({ ...c, columns: c.columns.map(strip) })),
		messages,
		blobs: await Promise.all(
			blobs.map(async (b) => ({
				id: b.id,
				mime: b.mime,
				createdAt: b.createdAt,
				base64: await toBase64(b.blob)
			}))
		)
	};
	return new Blob([JSON.stringify(backup)], { type: 'application/json' });
}

class Invalid extends Error {}

/** A tiny shape checker: each failure names the path, e.g. `conversations[3].columns`. */
function check(cond: boolean, path: string, expected: string): asserts cond {
	if (!cond) throw new Invalid(`${path}: expected ${expected}`);
}
const isObj = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Record<string, unknown>, k: string, path: string) =>
	check(typeof o[k] === 'string', `${path}.${k}`, 'a string');
const num = (o: Record<string, unknown>, k: string, path: string) =>
	check(typeof o[k] === 'number' && Number.isFinite(o[k]), `${path}.${k}`, 'a number');

/** No `__proto__`/`constructor` keys anywhere: they could pollute prototypes when merged. */
function hostileKey(value: unknown, path: string, depth = 0): void {
	if (depth > 64) throw new Invalid(`${path}: nested too deeply`);
	if (Array.isArray(value)) value.forEach((v, i) => hostileKey(v, `${path}[${i}]`, depth + 1));
	else if (isObj(value))
		for (const k of Object.keys(value)) {
			if (k === '__proto__' || k === 'constructor' || k === 'prototype')
				throw new Invalid(`${path}.${k}: not allowed`);
			hostileKey(value[k], `${path}.${k}`, depth + 1);
		}
}

function checkEndpoint(e: unknown, path: string) {
	check(isObj(e), path, 'an object');
	str(e, 'baseUrl', path);
	str(e, 'apiKey', path);
	check(
		['bearer', 'raw', 'header'].includes(String(e.authMode)),
		`${path}.authMode`,
		'bearer, raw or header'
	);
}

function validate(data: unknown): Backup {
	check(isObj(data), '(file)', 'a JSON object');
	check(data.format === BACKUP_FORMAT, 'format', `"${BACKUP_FORMAT}"`);
	check(data.version === BACKUP_VERSION, 'version', String(BACKUP_VERSION));
	for (const k of ['presets', 'conversations', 'messages', 'blobs'])
		check(Array.isArray(data[k]), k, 'an array');
	hostileKey(data, '(file)');
	const ids = new Set<string>();
	const unique = (id: unknown, path: string) => {
		check(
			typeof id === 'string' && id.length > 0 && !ids.has(`${path.split('[')[0]}:${String(id)}`),
			`${path}.id`,
			'a unique id'
		);
		ids.add(`${path.split('[')[0]}:${id}`);
	};
	(data.presets as unknown[]).forEach((p, i) => {
		const path = `presets[${i}]`;
		check(isObj(p), path, 'an object');
		unique(p.id, path);
		str(p, 'name', path);
		str(p, 'model', path);
		checkEndpoint(p.endpoint, `${path}.endpoint`);
		check(isObj(p.params), `${path}.params`, 'an object');
	});
	const conversations = new Set<string>();
	(data.conversations as unknown[]).forEach((c, i) => {
		const path = `conversations[${i}]`;
		check(isObj(c), path, 'an object');
		unique(c.id, path);
		conversations.add(String(c.id));
		str(c, 'title', path);
		num(c, 'updatedAt', path);
		num(c, 'createdAt', path);
		check(Array.isArray(c.columns) && c.columns.length > 0, `${path}.columns`, 'a non-empty array');
		(c.columns as unknown[]).forEach((col, j) => {
			check(isObj(col), `${path}.columns[${j}]`, 'an object');
			str(col, 'id', `${path}.columns[${j}]`);
			checkEndpoint(col.endpoint, `${path}.columns[${j}].endpoint`);
		});
	});
	const blobs = new Set<string>();
	(data.blobs as unknown[]).forEach((b, i) => {
		const path = `blobs[${i}]`;
		check(isObj(b), path, 'an object');
		unique(b.id, path);
		blobs.add(String(b.id));
		str(b, 'mime', path);
		str(b, 'base64', path);
		check(/^[A-Za-z0-9+/]*={0,2}$/.test(String(b.base64)), `${path}.base64`, 'base64 data');
	});
	(data.messages as unknown[]).forEach((m, i) => {
		const path = `messages[${i}]`;
		check(isObj(m), path, 'an object');
		unique(m.id, path);
		str(m, 'conversationId', path);
		check(
			conversations.has(String(m.conversationId)),
			`${path}.conversationId`,
			'a conversation in this file'
		);
		str(m, 'columnId', path);
		num(m, 'seq', path);
		check(
			['system', 'user', 'assistant', 'tool'].includes(String(m.role)),
			`${path}.role`,
			'system, user, assistant or tool'
		);
		str(m, 'content', path);
		if (m.parts !== undefined) {
			check(Array.isArray(m.parts), `${path}.parts`, 'an array');
			(m.parts as unknown[]).forEach((p, j) => {
				check(isObj(p), `${path}.parts[${j}]`, 'an object');
				if (p.type === 'image')
					check(blobs.has(String(p.blobId)), `${path}.parts[${j}].blobId`, 'an image in this file');
			});
		}
		if (m.answer !== undefined) {
			check(
				isObj(m.answer) && Array.isArray(m.answer.choices),
				`${path}.answer.choices`,
				'an array'
			);
			const answer = m.answer as Record<string, unknown>;
			// Start-up repairs interrupted answers through these: a file without them would break it.
			check(isObj(answer.timing), `${path}.answer.timing`, 'an object');
			check(
				['streaming', 'done', 'stopped', 'failed', 'interrupted'].includes(String(answer.status)),
				`${path}.answer.status`,
				'streaming, done, stopped, failed or interrupted'
			);
		}
	});
	return data as unknown as Backup;
}

export type ImportResult =
	| {
			ok: true;
			counts: { presets: number; conversations: number; messages: number; blobs: number };
	  }
	| { ok: false; message: Message };

/** `importAll` in a worker (see import-worker.ts): the page stays responsive on large files. */
export function importInWorker(file: Blob | string): Promise<ImportResult> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
		worker.onmessage = (e: MessageEvent<ImportResult>) => {
			worker.terminate();
			resolve(e.data);
		};
		worker.onerror = (e) => {
			worker.terminate();
			reject(new Error(e.message));
		};
		worker.postMessage(file);
	});
}

export async function importAll(db: SwitchboardDb, file: Blob | string): Promise<ImportResult> {
	const size = typeof file === 'string' ? file.length : file.size;
	if (size > MAX_BYTES) return { ok: false, message: { key: 'backup.error.tooLarge' } };
	const text = typeof file === 'string' ? file : await file.text();
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (err) {
		return {
			ok: false,
			message: {
				key: 'backup.error.json',
				vars: { detail: err instanceof Error ? err.message : String(err) }
			}
		};
	}
	let backup: Backup;
	try {
		backup = validate(data);
	} catch (err) {
		if (err instanceof Invalid)
			return { ok: false, message: { key: 'backup.error.invalid', vars: { detail: err.message } } };
		throw err;
	}
	let blobs: BlobRow[];
	try {
		blobs = backup.blobs.map((b) => ({
			id: b.id,
			mime: b.mime,
			createdAt: b.createdAt,
			blob: fromBase64(b.base64, b.mime)
		}));
	} catch (err) {
		// Base64 of an impossible length passes the pattern check; atob is the judge.
		const detail = `blobs: not decodable base64 (${err instanceof Error ? err.message : String(err)})`;
		return { ok: false, message: { key: 'backup.error.invalid', vars: { detail } } };
	}
	await db.transaction('rw', [db.presets, db.conversations, db.messages, db.blobs], async () => {
		await db.presets.bulkPut(backup.presets);
		await db.conversations.bulkPut(backup.conversations);
		await db.messages.bulkPut(backup.messages);
		await db.blobs.bulkPut(blobs);
	});
	return {
		ok: true,
		counts: {
			presets: backup.presets.length,
			conversations: backup.conversations.length,
			messages: backup.messages.length,
			blobs: blobs.length
		}
	};
}
