/**
 * All data as one JSON file, and back. Import checks the whole file before it writes anything,
 * then writes in one transaction: a bad file changes nothing.
 */
import type { SwitchboardDb } from './schema.ts';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	Invalid,
	validateBackup,
	type Backup,
	type CheckedBackup
} from './backup-validate.ts';
import type { Message } from '../util/message.ts';
import { indexAll } from './search.ts';
import { stripSecretHeaders } from '../wire/endpoint.ts';

export { BACKUP_FORMAT, BACKUP_VERSION } from './backup-validate.ts';
/** Larger files are refused before parsing: nothing we write comes near it. */
const MAX_BYTES = 512 * 1024 * 1024;

async function toBase64(blob: Blob): Promise<string> {
	const bytes = new Uint8Array(await blob.arrayBuffer());
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

export async function exportAll(db: SwitchboardDb, opts: { includeKeys: boolean }): Promise<Blob> {
	const [presets, conversations, messages, blobs, experiments, results] = await db.transaction(
		'r',
		[db.presets, db.conversations, db.messages, db.blobs, db.experiments, db.results],
		() =>
			Promise.all([
				db.presets.toArray(),
				db.conversations.toArray(),
				db.messages.toArray(),
				db.blobs.toArray(),
				db.experiments.toArray(),
				db.results.toArray()
			])
	);
	// Without keys: no API key, and no value of a secret extra header (Authorization, Cookie…).
	const strip = <T extends { endpoint: { apiKey: string; extraHeaders: string } }>(x: T): T =>
		opts.includeKeys
			? x
			: {
					...x,
					endpoint: {
						...x.endpoint,
						apiKey: '',
						extraHeaders: stripSecretHeaders(x.endpoint.extraHeaders)
					}
				};
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
		),
		experiments: experiments.map((e) => ({
			...e,
			targets: e.targets.map(strip),
			...(e.judge ? { judge: { ...e.judge, target: strip(e.judge.target) } } : {})
		})),
		results
	};
	return new Blob([JSON.stringify(backup)], { type: 'application/json' });
}

export type ImportResult =
	| {
			ok: true;
			counts: {
				presets: number;
				conversations: number;
				messages: number;
				blobs: number;
				experiments: number;
			};
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

/**
 * A backup exported without keys (the default) has '' in every key. Imported over this
 * browser's own rows, it must not blank the keys they have: a preset or a conversation column
 * with no key in the file keeps the key of the stored row with the same id. A key in the file
 * wins; a row new to this browser stays without one.
 */
async function keepKeys(db: SwitchboardDb, backup: CheckedBackup): Promise<void> {
	const presets = backup.presets.filter((p) => p.endpoint.apiKey === '');
	const stored = await db.presets.bulkGet(presets.map((p) => p.id));
	presets.forEach((p, i) => {
		const key = stored[i]?.endpoint.apiKey;
		if (key) p.endpoint = { ...p.endpoint, apiKey: key };
	});
	const conversations = backup.conversations.filter((c) =>
		c.columns.some((col) => col.endpoint.apiKey === '')
	);
	const storedConversations = await db.conversations.bulkGet(conversations.map((c) => c.id));
	conversations.forEach((c, i) => {
		c.columns = withStoredKeys(c.columns, storedConversations[i]?.columns ?? []);
	});
	const storedExperiments = await db.experiments.bulkGet(backup.experiments.map((e) => e.id));
	backup.experiments.forEach((e, i) => {
		const stored = storedExperiments[i];
		e.targets = withStoredKeys(e.targets, stored?.targets ?? []);
		if (e.judge && stored?.judge)
			e.judge = {
				...e.judge,
				target: withStoredKeys([e.judge.target], [stored.judge.target])[0] ?? e.judge.target
			};
	});
}

/** Columns (or targets) without a key in the file take the key of the stored one with their id. */
function withStoredKeys<T extends { id: string; endpoint: { apiKey: string } }>(
	columns: T[],
	stored: readonly T[]
): T[] {
	const keys = new Map(stored.map((col) => [col.id, col.endpoint.apiKey]));
	return columns.map((col) => {
		const key = col.endpoint.apiKey === '' ? keys.get(col.id) : undefined;
		return key ? { ...col, endpoint: { ...col.endpoint, apiKey: key } } : col;
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
	let backup: CheckedBackup;
	try {
		backup = validateBackup(data);
	} catch (err) {
		if (err instanceof Invalid)
			return { ok: false, message: { key: 'backup.error.invalid', vars: { detail: err.message } } };
		throw err;
	}
	const tables = [
		db.presets,
		db.conversations,
		db.messages,
		db.blobs,
		db.searchTerms,
		db.experiments,
		db.results
	];
	await db.transaction('rw', tables, async () => {
		await keepKeys(db, backup);
		await db.presets.bulkPut(backup.presets);
		await db.conversations.bulkPut(backup.conversations);
		await db.messages.bulkPut(backup.messages);
		await db.blobs.bulkPut(backup.blobs);
		await db.experiments.bulkPut(backup.experiments);
		await db.results.bulkPut(backup.results);
		// Imported rows replace stored ones with the same id: so do their search terms.
		await indexAll(db.searchTerms, backup.conversations, backup.messages);
	});
	return {
		ok: true,
		counts: {
			presets: backup.presets.length,
			conversations: backup.conversations.length,
			messages: backup.messages.length,
			blobs: backup.blobs.length,
			experiments: backup.experiments.length
		}
	};
}
