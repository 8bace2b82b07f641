import { describe, expect, it } from 'vitest';
import type { SwitchboardDb } from '../../../src/lib/db/schema.ts';
import { savePreset } from '../../../src/lib/db/presets.ts';
import { putConversation } from '../../../src/lib/db/conversations.ts';
import { markInterrupted, putMessage } from '../../../src/lib/db/messages.ts';
import { putBlob } from '../../../src/lib/db/blobs.ts';
import { setSetting } from '../../../src/lib/db/settings.ts';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	exportAll,
	importAll,
	type ImportResult
} from '../../../src/lib/db/backup.ts';
import { conv, dumpDb, endpointWith, freshDb, msg } from './helpers.ts';
import { putExperiment, putResult } from '../../../src/lib/db/experiments.ts';
import type { ExperimentRow, ResultRow } from '../../../src/lib/db/experiment-rows.ts';
import { image, SVG_WITH_SCRIPT } from '../util/images.ts';

async function seed(db: SwitchboardDb) {
	await savePreset(db, {
		name: 'main',
		endpoint: endpointWith('sk-preset-key'),
		model: 'gpt',
		params: { temperature: '0.3', stream: true },
		prices: { input: 1, output: 2 }
	});
	await putConversation(db, conv('c1', 100, ['c1-a', 'c1-b']));
	await putConversation(db, conv('c2', 200));
	const png = await putBlob(db, await image('png', [0, 255, 128, 7]));
	const big = await putBlob(
		db,
		await image(
			'jpeg',
			new Uint8Array(100_000).map((_, i) => i % 251)
		)
	);
	await putMessage(
		db,
		msg('c1', 'c1-a', 1, {
			parts: [
				{ type: 'text', text: 'what is this' },
				{ type: 'image', blobId: png, mime: 'image/png' },
				{ type: 'image', blobId: big, mime: 'image/jpeg' }
			]
		})
	);
	await putMessage(
		db,
		msg('c1', 'c1-a', 2, {
			role: 'assistant',
			content: '',
			answer: {
				choices: [{ index: 0, content: 'a cat', reasoning: 'hmm', toolCalls: [] }],
				usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
				timing: { startedAt: 1, firstTokenAt: 2, endedAt: 3 },
				status: 'done'
			}
		})
	);
	await putMessage(db, msg('c1', 'c1-b', 1, { content: 'ünïcødé ✓ 🚀' }));
	await putMessage(db, msg('c2', 'c2-a', 1));
}

async function exportText(db: SwitchboardDb, includeKeys: boolean): Promise<string> {
	return (await exportAll(db, { includeKeys })).text();
}

function detailOf(r: ImportResult): string {
	return r.ok ? '' : String(r.message.vars?.detail ?? '');
}

/** Rows that import compares, without settings (backups do not carry them). */
async function dataOf(db: SwitchboardDb) {
	const dump = await dumpDb(db);
	return {
		presets: dump.presets,
		conversations: dump.conversations,
		messages: dump.messages,
		blobs: dump.blobs
	};
}

describe('exportAll / importAll round trip', () => {
	it('imports into a fresh db with deep-equal rows, blobs by bytes, when keys are included', async () => {
		const { db: a } = freshDb();
		await seed(a);
		const text = await exportText(a, true);
		const parsed: unknown = JSON.parse(text);
		expect(parsed).toMatchObject({ format: BACKUP_FORMAT, version: BACKUP_VERSION });

		const { db: b } = freshDb();
		const result = await importAll(b, new Blob([text], { type: 'application/json' }));
		expect(result).toEqual({
			ok: true,
			counts: { presets: 1, conversations: 2, messages: 4, blobs: 2, experiments: 0 }
		});
		expect(await dataOf(b)).toEqual(await dataOf(a));
		const blobs = await b.blobs.toArray();
		expect(blobs.every((r) => r.blob instanceof Blob)).toBe(true);
	});

	it("reads a version 1 file, which kept an assistant's text and tool calls twice", async () => {
		const { db: a } = freshDb();
		await seed(a);
		const current = JSON.parse(await exportText(a, true)) as {
			version: number;
			messages: Array<
				Record<string, unknown> & { answer?: { choices: Array<{ content: string }> } }
			>;
		};
		const call = { id: 'call_9', type: 'function', function: { name: 'f', arguments: '{}' } };
		const v1 = {
			...current,
			version: 1,
			messages: current.messages.map((m) =>
				m.answer ? { ...m, content: m.answer.choices[0]?.content, toolCalls: [call] } : m
			)
		};
		const { db: b } = freshDb();
		expect((await importAll(b, JSON.stringify(v1))).ok).toBe(true);
		expect(await dataOf(b)).toEqual(await dataOf(a));
	});

	it('blanks keys of presets and every column endpoint unless includeKeys', async () => {
		const { db: a } = freshDb();
		await seed(a);
		const text = await exportText(a, false);
		expect(text).not.toMatch(/sk-/);

		const { db: b } = freshDb();
		expect((await importAll(b, text)).ok).toBe(true);
		const original = await dataOf(a);
		const imported = await dataOf(b);
		expect(imported.presets.map((p) => p.endpoint.apiKey)).toEqual(['']);
		expect(
			imported.conversations.flatMap((c) => c.columns.map((col) => col.endpoint.apiKey))
		).toEqual(['', '', '']);
		// Everything else is the same as the original.
		const blank = <T extends { endpoint: { apiKey: string } }>(x: T): T => ({
			...x,
			endpoint: { ...x.endpoint, apiKey: '' }
		});
		expect(imported).toEqual({
			...original,
			presets: original.presets.map(blank),
			conversations: original.conversations.map((c) => ({ ...c, columns: c.columns.map(blank) }))
		});
		// The source db keeps its keys: export does not mutate.
		expect((await a.presets.toArray())[0]?.endpoint.apiKey).toBe('sk-preset-key');
	});

	it('includes keys when asked', async () => {
		const { db: a } = freshDb();
		await seed(a);
		const text = await exportText(a, true);
		expect(text).toContain('sk-preset-key');
		expect(text).toContain('sk-c1-0');
		expect(text).toContain('sk-c1-1');
		expect(text).toContain('sk-c2-0');
	});

	it('importing your own backup without keys keeps the keys this browser has', async () => {
		const { db } = freshDb();
		await seed(db);
		const before = await dataOf(db);
		const text = await exportText(db, false);
		expect((await importAll(db, text)).ok).toBe(true);
		const after = await dataOf(db);
		expect(after.presets.map((p) => p.endpoint.apiKey)).toEqual(['sk-preset-key']);
		expect(after.conversations.flatMap((c) => c.columns.map((col) => col.endpoint.apiKey))).toEqual(
			['sk-c1-0', 'sk-c1-1', 'sk-c2-0']
		);
		expect(after).toEqual(before);
	});

	it('a key in the file wins, and rows new to this browser stay without one', async () => {
		const { db: a } = freshDb();
		await seed(a);
		// Another browser holding the same rows with their keys.
		const { db: b } = freshDb();
		expect((await importAll(b, await exportText(a, true))).ok).toBe(true);

		await putConversation(a, conv('c3', 300));
		const data = JSON.parse(await exportText(a, false)) as {
			conversations: Array<{ id: string; columns: Array<{ endpoint: { apiKey: string } }> }>;
		};
		const c1 = data.conversations.find((c) => c.id === 'c1');
		if (c1?.columns[1]) c1.columns[1].endpoint.apiKey = 'sk-from-file';
		expect((await importAll(b, JSON.stringify(data))).ok).toBe(true);

		const keys = Object.fromEntries(
			(await b.conversations.toArray()).map((c) => [c.id, c.columns.map((x) => x.endpoint.apiKey)])
		);
		expect(keys).toEqual({ c1: ['sk-c1-0', 'sk-from-file'], c2: ['sk-c2-0'], c3: [''] });
		expect((await b.presets.toArray()).map((p) => p.endpoint.apiKey)).toEqual(['sk-preset-key']);
	});

	it('round-trips an empty database', async () => {
		const { db: a } = freshDb();
		const { db: b } = freshDb();
		expect(await importAll(b, await exportText(a, true))).toEqual({
			ok: true,
			counts: { presets: 0, conversations: 0, messages: 0, blobs: 0, experiments: 0 }
		});
		expect(await dataOf(b)).toEqual(await dataOf(a));
	});
});

describe('importAll rejects bad files and changes nothing', () => {
	async function target() {
		const { db } = freshDb();
		await savePreset(db, { name: 'keep', endpoint: endpointWith('k'), model: 'm', params: {} });
		await putConversation(db, conv('c1', 1));
		await putMessage(db, msg('c1', 'c1-a', 1, { content: 'must survive' }));
		await setSetting(db, 'locale', 'de');
		return db;
	}

	async function validText(): Promise<string> {
		const { db } = freshDb();
		await seed(db);
		return exportText(db, false);
	}

	/** Parses, changes and re-serialises a valid export. */
	async function mutated(change: (data: Record<string, unknown[]>) => void): Promise<string> {
		const data = JSON.parse(await validText()) as Record<string, unknown[]>;
		change(data);
		return JSON.stringify(data);
	}

	async function expectRejected(text: string, key: string, detail?: RegExp) {
		const db = await target();
		const before = await dumpDb(db);
		const result = await importAll(db, text);
		expect(result.ok).toBe(false);
		expect(result.ok ? undefined : result.message.key).toBe(key);
		if (detail) expect(detailOf(result)).toMatch(detail);
		expect(await dumpDb(db)).toEqual(before);
		expect(await db.conversations.count()).toBe(1);
		expect(await db.messages.count()).toBe(1);
	}

	it('not JSON', async () => {
		await expectRejected('this is not json', 'backup.error.json', /.+/);
	});

	it('truncated JSON', async () => {
		const text = await validText();
		await expectRejected(text.slice(0, Math.floor(text.length / 2)), 'backup.error.json');
	});

	it('empty file', async () => {
		await expectRejected('', 'backup.error.json');
	});

	it('a JSON value that is not an object', async () => {
		await expectRejected('[1,2,3]', 'backup.error.invalid', /\(file\)/);
		await expectRejected('null', 'backup.error.invalid', /\(file\)/);
	});

	it('wrong format', async () => {
		await expectRejected(
			await mutated((d) => {
				(d as Record<string, unknown>).format = 'other-app';
			}),
			'backup.error.invalid',
			/^format/
		);
	});

	it('wrong version', async () => {
		await expectRejected(
			await mutated((d) => {
				(d as Record<string, unknown>).version = BACKUP_VERSION + 1;
			}),
			'backup.error.invalid',
			/^version/
		);
	});

	it('a missing table', async () => {
		await expectRejected(
			await mutated((d) => {
				delete d.blobs;
			}),
			'backup.error.invalid',
			/^blobs/
		);
	});

	it('a message whose conversation is not in the file', async () => {
		await expectRejected(
			await mutated((d) => {
				const m = d.messages?.[2] as Record<string, unknown>;
				m.conversationId = 'elsewhere';
			}),
			'backup.error.invalid',
			/messages\[2\]\.conversationId/
		);
	});

	it('a message whose conversation is only in the target db, not in the file', async () => {
		// 'c1' exists in the target db, but the file must stand on its own.
		await expectRejected(
			await mutated((d) => {
				d.conversations = (d.conversations ?? []).filter((c) => (c as { id: string }).id !== 'c1');
			}),
			'backup.error.invalid',
			/messages\[\d\]\.conversationId/
		);
	});

	it('an image part pointing at a blob that is not in the file', async () => {
		await expectRejected(
			await mutated((d) => {
				d.blobs = [];
			}),
			'backup.error.invalid',
			/messages\[\d\]\.parts\[1\]\.blobId/
		);
	});

	it('a __proto__ key written in the JSON text', async () => {
		const text = await validText();
		const hostile = text.replace(
			'"title":"Chat c1"',
			'"__proto__":{"polluted":1},"title":"Chat c1"'
		);
		expect(hostile).not.toBe(text);
		await expectRejected(hostile, 'backup.error.invalid', /conversations\[0\]\.__proto__/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('a constructor key nested in params, whose values are text or a switch', async () => {
		const text = await validText();
		const hostile = text.replace('"params":{', '"params":{"constructor":{"x":1},');
		expect(hostile).not.toBe(text);
		await expectRejected(hostile, 'backup.error.invalid', /presets\[0\]\.params\.constructor/);
	});

	type Change = (d: Record<string, unknown[]>) => void;
	type Row = Record<string, unknown>;
	const conversation = (d: Record<string, unknown[]>) => d.conversations?.[0] as Row;
	const firstColumn = (d: Record<string, unknown[]>) =>
		(conversation(d).columns as Row[])[0] as Row;
	const answerOf = (d: Record<string, unknown[]>) =>
		(d.messages?.find((x) => (x as Row).answer) as { answer: Row }).answer;
	const choiceOf = (d: Record<string, unknown[]>) => (answerOf(d).choices as Row[])[0] as Row;

	it.each<[string, Change, RegExp]>([
		[
			'title',
			(d) => void (conversation(d).title = 'x'.repeat(1_001)),
			/conversations\[0\]\.title: expected at most 1000 characters/
		],
		[
			'model',
			(d) => void (firstColumn(d).model = 'm'.repeat(501)),
			/conversations\[0\]\.columns\[0\]\.model: expected at most 500 characters/
		],
		[
			'system prompt',
			(d) => void (firstColumn(d).system = 's'.repeat(1_000_001)),
			/conversations\[0\]\.columns\[0\]\.system: expected at most 1000000 characters/
		],
		[
			'header lines',
			(d) => void ((firstColumn(d).endpoint as Row).extraHeaders = `X-A: ${'v'.repeat(16_384)}`),
			/columns\[0\]\.endpoint\.extraHeaders: expected at most 16384 characters/
		],
		[
			'message text',
			(d) => void ((d.messages?.[0] as Row).content = 't'.repeat(4_000_001)),
			/messages\[0\]\.content: expected at most 4000000 characters/
		],
		[
			'answer text',
			(d) => void (choiceOf(d).reasoning = 'r'.repeat(4_000_001)),
			/answer\.choices\[0\]\.reasoning: expected at most 4000000 characters/
		],
		[
			'number of columns',
			(d) => {
				const c = conversation(d);
				const columns = c.columns as Row[];
				c.columns = Array.from({ length: 13 }, (_, i) => ({ ...columns[0], id: `col-${i}` }));
			},
			/conversations\[0\]\.columns: expected at most 12 entries/
		]
	])('a %s over its limit is refused, naming the path and the limit', async (_l, change, where) => {
		await expectRejected(await mutated(change), 'backup.error.invalid', where);
	});

	it.each<[string, Change, RegExp]>([
		[
			'parameter value',
			(d) => void (firstColumn(d).params = { temperature: 0.5 }),
			/columns\[0\]\.params\.temperature: expected a string/
		],
		[
			'price',
			(d) => void (firstColumn(d).prices = { input: '1$' }),
			/columns\[0\]\.prices\.input: expected a number/
		],
		[
			'column label',
			(d) => void (firstColumn(d).label = 7),
			/columns\[0\]\.label: expected a string/
		],
		[
			'usage count',
			(d) => void (answerOf(d).usage = { prompt_tokens: 'three' }),
			/answer\.usage\.prompt_tokens: expected a number/
		],
		['answer model', (d) => void (answerOf(d).model = ['gpt']), /answer\.model: expected a string/],
		[
			'tool call name',
			(d) =>
				void (choiceOf(d).toolCalls = [
					{ id: 'call_1', type: 'function', function: { name: 5, arguments: '{}' } }
				]),
			/choices\[0\]\.toolCalls\[0\]\.function\.name: expected a string/
		],
		[
			'tool call id',
			(d) =>
				void (choiceOf(d).toolCalls = [
					{ type: 'function', function: { name: 'f', arguments: '{}' } }
				]),
			/choices\[0\]\.toolCalls\[0\]\.id: expected a string/
		],
		[
			'error message',
			(d) => void (answerOf(d).error = { kind: 'http', message: 'HTTP 500' }),
			/answer\.error\.message: expected an object/
		]
	])('a wrong %s is refused with its path', async (_label, change, where) => {
		await expectRejected(await mutated(change), 'backup.error.invalid', where);
	});

	it('a wrong type names its path: conversations[0].title', async () => {
		await expectRejected(
			await mutated((d) => {
				(d.conversations?.[0] as Record<string, unknown>).title = 5;
			}),
			'backup.error.invalid',
			/conversations\[0\]\.title/
		);
	});

	it.each<[string, (d: Record<string, unknown[]>) => void, RegExp]>([
		[
			'preset name',
			(d) => {
				(d.presets?.[0] as Record<string, unknown>).name = null;
			},
			/presets\[0\]\.name/
		],
		[
			'column endpoint authMode',
			(d) => {
				const c = d.conversations?.[0] as { columns: Array<{ endpoint: Record<string, unknown> }> };
				const col = c.columns[1];
				if (col) col.endpoint.authMode = 'magic';
			},
			/conversations\[0\]\.columns\[1\]\.endpoint\.authMode/
		],
		[
			'empty columns',
			(d) => {
				(d.conversations?.[1] as Record<string, unknown>).columns = [];
			},
			/conversations\[1\]\.columns/
		],
		[
			'message seq',
			(d) => {
				(d.messages?.[0] as Record<string, unknown>).seq = '1';
			},
			/messages\[0\]\.seq/
		],
		[
			'message role',
			(d) => {
				(d.messages?.[0] as Record<string, unknown>).role = 'robot';
			},
			/messages\[0\]\.role/
		],
		[
			'duplicate message id',
			(d) => {
				const first = d.messages?.[0] as Record<string, unknown>;
				(d.messages?.[1] as Record<string, unknown>).id = first.id;
			},
			/messages\[1\]\.id/
		],
		[
			'blob base64',
			(d) => {
				(d.blobs?.[0] as Record<string, unknown>).base64 = 'not base64!';
			},
			/blobs\[0\]\.base64/
		],
		[
			'updatedAt not finite',
			(d) => {
				(d.conversations?.[0] as Record<string, unknown>).updatedAt = 'yesterday';
			},
			/conversations\[0\]\.updatedAt/
		]
	])('a wrong %s names its path', async (_label, change, where) => {
		await expectRejected(await mutated(change), 'backup.error.invalid', where);
	});

	it.each<[string, (d: Record<string, unknown[]>) => void, RegExp]>([
		[
			'message column not in its conversation',
			(d) => {
				(d.messages?.[0] as Record<string, unknown>).columnId = 'c2-a';
			},
			/messages\[0\]\.columnId/
		],
		[
			'part type',
			(d) => {
				const m = d.messages?.find((x) => Array.isArray((x as { parts?: unknown }).parts)) as {
					parts: Array<Record<string, unknown>>;
				};
				const part = m.parts[0];
				if (part) part.type = 'video';
			},
			/messages\[\d+\]\.parts\[0\]\.type/
		],
		[
			'answer status',
			(d) => {
				const m = d.messages?.find((x) => (x as { answer?: unknown }).answer) as {
					answer: Record<string, unknown>;
				};
				m.answer.status = 'thinking';
			},
			/messages\[\d+\]\.answer\.status/
		],
		[
			'answer choice content',
			(d) => {
				const m = d.messages?.find((x) => (x as { answer?: unknown }).answer) as {
					answer: { choices: Array<Record<string, unknown>> };
				};
				const choice = m.answer.choices[0];
				if (choice) choice.content = 42;
			},
			/messages\[\d+\]\.answer\.choices\[0\]\.content/
		],
		[
			'endpoint timeout',
			(d) => {
				(d.presets?.[0] as { endpoint: Record<string, unknown> }).endpoint.timeoutMs = '30s';
			},
			/presets\[0\]\.endpoint\.timeoutMs/
		],
		[
			'blob createdAt',
			(d) => {
				(d.blobs?.[1] as Record<string, unknown>).createdAt = null;
			},
			/blobs\[1\]\.createdAt/
		]
	])('a wrong %s is refused with its path', async (_label, change, where) => {
		await expectRejected(await mutated(change), 'backup.error.invalid', where);
	});

	it('a blob whose base64 has only allowed characters but an impossible length is refused, not thrown', async () => {
		// "A" uses only base64 characters, but a single character cannot encode a byte.
		const text = await mutated((d) => {
			(d.blobs?.[0] as Record<string, unknown>).base64 = 'A';
		});
		const db = await target();
		const before = await dumpDb(db);
		let result: ImportResult | undefined;
		let thrown: unknown;
		try {
			result = await importAll(db, text);
		} catch (err) {
			thrown = err;
		}
		expect(thrown).toBeUndefined();
		expect(result && detailOf(result)).toMatch(/blobs\[0\]\.base64/);
		expect(await dumpDb(db)).toEqual(before);
	});

	it('an image that is an SVG or HTML page, whatever its mime says, is refused with its path', async () => {
		for (const page of [SVG_WITH_SCRIPT, '<!doctype html><script>alert(1)</script>'])
			await expectRejected(
				await mutated((d) => {
					const b = d.blobs?.[1] as Record<string, unknown>;
					b.mime = 'image/png';
					b.base64 = Buffer.from(page).toString('base64');
				}),
				'backup.error.invalid',
				/^blobs\[1\]: expected a png, jpeg, gif, webp or avif image$/
			);
	});

	it('an image is stored with the type its bytes show, not the mime the file claims', async () => {
		const db = await target();
		const text = await mutated((d) => {
			(d.blobs?.[0] as Record<string, unknown>).mime = 'image/svg+xml';
		});
		expect((await importAll(db, text)).ok).toBe(true);
		const rows = await db.blobs.toArray();
		expect(rows.map((r) => [r.mime, r.blob.type]).sort()).toEqual([
			['image/jpeg', 'image/jpeg'],
			['image/png', 'image/png']
		]);
	});
});

describe('imported answers are usable afterwards', () => {
	it('an answer without timing is refused, so start-up never trips over it', async () => {
		const { db: a } = freshDb();
		await putConversation(a, conv('c', 1));
		await putMessage(a, msg('c', 'c-a', 1, { role: 'assistant' }));
		const data = JSON.parse(await exportText(a, false)) as {
			messages: Array<Record<string, unknown>>;
		};
		const first = data.messages[0];
		if (first) first.answer = { choices: [], status: 'streaming' };
		const { db: b } = freshDb();
		expect(detailOf(await importAll(b, JSON.stringify(data)))).toMatch(
			/messages\[0\]\.answer\.timing/
		);
		expect(await markInterrupted(b)).toBe(0);

		if (first) first.answer = { choices: [], status: 'streaming', timing: { startedAt: 7 } };
		expect((await importAll(b, JSON.stringify(data))).ok).toBe(true);
		expect(await markInterrupted(b)).toBe(1);
		expect((await b.messages.get('c/c-a/1'))?.answer).toMatchObject({
			status: 'interrupted',
			timing: { startedAt: 7 }
		});
		expect((await b.messages.get('c/c-a/1'))?.answer?.timing.endedAt).toBeUndefined();
	});
});

describe('free-form objects round-trip', () => {
	it('keys named constructor or prototype in usage and params: export, import, export again', async () => {
		const { db: a } = freshDb();
		const c = conv('c', 1);
		const column = c.columns[0];
		if (column) column.params = { constructor: 'yes', prototype: 'too' };
		await putConversation(a, c);
		await putMessage(
			a,
			msg('c', 'c-a', 1, {
				role: 'assistant',
				answer: {
					choices: [{ index: 0, content: 'hi', reasoning: '', toolCalls: [] }],
					// A server may put anything in its usage; the app stores what it got.
					usage: JSON.parse('{"total_tokens":5,"constructor":{"name":"x"},"prototype":1}') as {
						total_tokens: number;
					},
					timing: { startedAt: 1 },
					status: 'done'
				}
			})
		);
		const text = await exportText(a, true);
		const { db: b } = freshDb();
		const result = await importAll(b, text);
		expect(detailOf(result)).toBe('');
		expect(result.ok).toBe(true);
		expect(await dataOf(b)).toEqual(await dataOf(a));
		const { db: again } = freshDb();
		expect((await importAll(again, await exportText(b, true))).ok).toBe(true);
	});

	it('tool-call lists with nulls import with the calls that are there', async () => {
		const { db: a } = freshDb();
		await putConversation(a, conv('c', 1));
		await putMessage(a, msg('c', 'c-a', 1, { role: 'assistant' }));
		const data = JSON.parse(await exportText(a, false)) as {
			messages: Array<Record<string, unknown>>;
		};
		const call = { id: 'call_2', type: 'function', function: { name: 'f', arguments: '{}' } };
		const first = data.messages[0];
		if (first)
			first.answer = {
				choices: [{ index: 0, content: '', reasoning: '', toolCalls: [null, call, null] }],
				timing: { startedAt: 1 },
				status: 'done'
			};
		const { db: b } = freshDb();
		expect((await importAll(b, JSON.stringify(data))).ok).toBe(true);
		expect((await b.messages.get('c/c-a/1'))?.answer?.choices[0]?.toolCalls).toEqual([call]);
	});
});

describe('experiments in a backup', () => {
	const experiment = (key: string): ExperimentRow => ({
		id: 'e1',
		title: 'Capitals',
		variables: ['city'],
		cases: [{ vars: { city: 'Paris' }, expected: 'Paris' }, { vars: { city: 'Rome' } }],
		template: 'Capital: {{city}}',
		system: '',
		check: 'judge',
		targets: conv('x', 1, ['t1', 't2']).columns.map((c) => ({
			...c,
			endpoint: { ...c.endpoint, apiKey: key, extraHeaders: `X-Api-Token: tok-${key}` }
		})),
		judge: {
			target: {
				...(conv('j', 1, ['judge']).columns[0] as ExperimentRow['targets'][number]),
				endpoint: endpointWith(key)
			},
			prompt: 'Grade {{answer}}'
		},
		repetitions: 2,
		concurrency: 4,
		createdAt: 1,
		updatedAt: 2
	});
	const result: ResultRow = {
		id: 'e1/0/t1/0',
		experimentId: 'e1',
		caseIndex: 0,
		targetId: 't1',
		repetition: 0,
		status: 'pass',
		prompt: 'Capital: Paris',
		request: { model: 'model-0', messages: [{ role: 'user', content: 'Capital: Paris' }] },
		text: 'Paris',
		usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
		ttftMs: 10,
		totalMs: 20,
		judge: { text: 'PASS', cost: 0.001 },
		retries: 1,
		finishedAt: 5
	};

	it('round-trips experiments and results; without keys, keeps the keys this browser has', async () => {
		const { db: a } = freshDb();
		await putExperiment(a, experiment('sk-exp-key'));
		await putResult(a, result);
		const withKeys = await exportText(a, true);
		const { db: b } = freshDb();
		expect(await importAll(b, withKeys)).toMatchObject({ ok: true, counts: { experiments: 1 } });
		expect(await b.experiments.toArray()).toEqual(await a.experiments.toArray());
		expect(await b.results.toArray()).toEqual([result]);

		const without = await exportText(a, false);
		expect(without).not.toContain('sk-exp-key');
		expect(without).not.toContain('tok-sk-exp-key');
		// Imported back where the keys are: nothing blanked.
		expect((await importAll(a, without)).ok).toBe(true);
		const kept = await a.experiments.get('e1');
		expect(kept?.targets.map((t) => t.endpoint.apiKey)).toEqual(['sk-exp-key', 'sk-exp-key']);
		expect(kept?.judge?.target.endpoint.apiKey).toBe('sk-exp-key');
	});

	it('refuses a result of an experiment or target the file does not have', async () => {
		const { db: a } = freshDb();
		await putExperiment(a, experiment(''));
		await putResult(a, { ...result, targetId: 'gone' });
		const { db: b } = freshDb();
		expect(detailOf(await importAll(b, await exportText(a, false)))).toBe(
			'results[0].targetId: expected a target of its experiment'
		);
		expect(await b.experiments.count()).toBe(0);
	});

	it('refuses a case variable the experiment does not declare', async () => {
		const { db: a } = freshDb();
		await putExperiment(a, { ...experiment(''), cases: [{ vars: { country: 'x' } }] });
		const { db: b } = freshDb();
		expect(detailOf(await importAll(b, await exportText(a, false)))).toBe(
			'experiments[0].cases[0].vars.country: expected one of the experiment’s variables'
		);
	});
});
