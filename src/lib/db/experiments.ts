/** Experiments and their results in IndexedDB. */
import type { SwitchboardDb } from './schema.ts';
import type { ExperimentRow, ResultRow } from './experiment-rows.ts';

export function listExperiments(db: SwitchboardDb, limit = 200): Promise<ExperimentRow[]> {
	return db.experiments.orderBy('updatedAt').reverse().limit(limit).toArray();
}

export function getExperiment(db: SwitchboardDb, id: string): Promise<ExperimentRow | undefined> {
	return db.experiments.get(id);
}

export async function putExperiment(db: SwitchboardDb, e: ExperimentRow): Promise<void> {
	await db.experiments.put(e);
}

export function listResults(db: SwitchboardDb, experimentId: string): Promise<ResultRow[]> {
	return db.results.where('experimentId').equals(experimentId).toArray();
}

export async function putResult(db: SwitchboardDb, r: ResultRow): Promise<void> {
	await db.results.put(r);
}

/** Results go when the setup they answer changes (new cases, targets or template). */
export async function clearResults(db: SwitchboardDb, experimentId: string): Promise<void> {
	await db.results.where('experimentId').equals(experimentId).delete();
}

export async function deleteResults(db: SwitchboardDb, ids: string[]): Promise<void> {
	await db.results.bulkDelete(ids);
}

export async function deleteExperiment(db: SwitchboardDb, id: string): Promise<void> {
	await db.transaction('rw', db.experiments, db.results, async () => {
		await db.results.where('experimentId').equals(id).delete();
		await db.experiments.delete(id);
	});
}
