/**
 * Imports a backup off the main thread: parsing, validating and writing a 10 MB file would
 * otherwise freeze the page for a second. IndexedDB and Dexie work the same in a worker.
 */
import { openDb } from './schema.ts';
import { importAll } from './backup.ts';

self.onmessage = async (event: MessageEvent<Blob | string>) => {
	const db = openDb();
	try {
		self.postMessage(await importAll(db, event.data));
	} catch (err) {
		self.postMessage({
			ok: false,
			message: { key: 'db.error.other', vars: { name: 'Import', detail: String(err) } }
		});
	} finally {
		db.close();
	}
};
