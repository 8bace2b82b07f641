import { describe, expect, it } from 'vitest';
import {
	clearResults,
	deleteExperiment,
	deleteResults,
	getExperiment,
	listExperiments,
	listResults,
	putExperiment,
	putResult
} from '../../../src/lib/db/experiments.ts';
import {
	resultId,
	type ExperimentRow,
	type ResultRow
} from '../../../src/lib/db/experiment-rows.ts';
import { conv, freshDb, reopen } from './helpers.ts';

const experiment = (id: string, updatedAt: number): ExperimentRow => ({
	id,
	title: `Experiment ${id}`,
	variables: ['q'],
	cases: [{ vars: { q: 'hi' }, expected: 'hello' }],
	template: 'Say {{q}}',
	system: '',
	check: 'contains',
	targets: conv(id, 1).columns,
	repetitions: 1,
	concurrency: 2,
	createdAt: updatedAt,
	updatedAt
});

const result = (experimentId: string, caseIndex: number): ResultRow => ({
	id: resultId(experimentId, caseIndex, 't', 0),
	experimentId,
	caseIndex,
	targetId: 't',
	repetition: 0,
	status: 'pass',
	prompt: 'Say hi',
	text: 'hello',
	retries: 0,
	finishedAt: 1
});

describe('experiments in IndexedDB', () => {
	it('lists newest first, keeps results per experiment, deletes both together', async () => {
		const { db, factory, name } = freshDb();
		await putExperiment(db, experiment('a', 1));
		await putExperiment(db, experiment('b', 2));
		await putResult(db, result('a', 0));
		await putResult(db, result('a', 1));
		await putResult(db, result('b', 0));
		db.close();

		const again = reopen(factory, name);
		expect((await listExperiments(again)).map((e) => e.id)).toEqual(['b', 'a']);
		expect(await getExperiment(again, 'a')).toEqual(experiment('a', 1));
		expect((await listResults(again, 'a')).map((r) => r.caseIndex).sort()).toEqual([0, 1]);

		await deleteResults(again, [result('a', 1).id]);
		expect(await listResults(again, 'a')).toHaveLength(1);
		await clearResults(again, 'b');
		expect(await listResults(again, 'b')).toEqual([]);
		await deleteExperiment(again, 'a');
		expect(await getExperiment(again, 'a')).toBeUndefined();
		expect(await again.results.count()).toBe(0);
	});
});
