/** Media turns in storage: their blobs live and die with the conversation, and travel in backups. */
import { describe, expect, it } from 'vitest';
import { deleteConversation, putConversation } from '../../../src/lib/db/conversations.ts';
import { listMessages, putMessage } from '../../../src/lib/db/messages.ts';
import { copyBlobs, getAudio, getBlob, putBlob } from '../../../src/lib/db/blobs.ts';
import { exportAll, importAll } from '../../../src/lib/db/backup.ts';
import { blobIdsOf, renameBlobs, type MessageRow } from '../../../src/lib/db/rows.ts';
import type { Answer } from '../../../src/lib/wire/types.ts';
import { conv, freshDb, msg } from './helpers.ts';
import { image } from '../util/images.ts';

const answer: Answer = { choices: [], timing: { startedAt: 0, endedAt: 40 }, status: 'done' };

async function seedMedia(db: ReturnType<typeof freshDb>['db']) {
	const png = await putBlob(db, await image('png'));
	const speech = await putBlob(db, new Blob([new Uint8Array([1, 2, 3])], { type: 'audio/mpeg' }));
	const sent = await putBlob(db, new Blob([new Uint8Array(9)], { type: 'audio/wav' }));
	const plain = conv('c1', 1);
	await putConversation(db, {
		...plain,
		columns: plain.columns.map((c) => ({
			...c,
			mode: 'speech' as const,
			modes: { chat: { model: 'gpt', params: { temperature: '1' } } }
		}))
	});
	const rows: MessageRow[] = [
		msg('c1', 'c1-a', 1, { mode: 'images', content: 'a fox' }),
		msg('c1', 'c1-a', 2, {
			role: 'assistant',
			mode: 'images',
			answer,
			media: {
				images: [{ file: { blobId: png, mime: 'image/png', size: 20 }, revisedPrompt: 'a red fox' }]
			}
		}),
		msg('c1', 'c1-a', 3, { mode: 'speech', content: 'hello' }),
		msg('c1', 'c1-a', 4, {
			role: 'assistant',
			mode: 'speech',
			answer,
			media: { audio: { blobId: speech, mime: 'audio/mpeg', size: 3, name: 'speech.mp3' } }
		}),
		msg('c1', 'c1-a', 5, {
			mode: 'transcription',
			content: '',
			media: { input: { blobId: sent, mime: 'audio/wav', size: 9, name: 'talk.wav' } }
		}),
		msg('c1', 'c1-a', 6, {
			role: 'assistant',
			mode: 'transcription',
			answer,
			media: {
				transcript: {
					text: 'hi there',
					format: 'verbose_json',
					segments: [{ start: 0, end: 1.5, text: 'hi there' }]
				}
			}
		})
	];
	for (const row of rows) await putMessage(db, row);
	return { png, speech, sent, rows };
}

describe('media turns in storage', () => {
	it('read back as stored, each blob typed as what it is', async () => {
		const { db } = freshDb();
		const { png, speech, rows } = await seedMedia(db);
		expect(await listMessages(db, 'c1')).toEqual(rows);
		expect((await getBlob(db, png))?.type).toBe('image/png');
		expect((await getAudio(db, speech))?.type).toBe('audio/mpeg');
	});

	it('never stores audio typed as a page', async () => {
		const { db } = freshDb();
		const id = await putBlob(db, new Blob(['<script>alert(1)</script>'], { type: 'text/html' }));
		expect((await getAudio(db, id))?.type).toBe('application/octet-stream');
	});

	it('deleting the conversation deletes its images and audio', async () => {
		const { db } = freshDb();
		await seedMedia(db);
		const removed = await deleteConversation(db, 'c1');
		expect(removed?.blobs).toHaveLength(3);
		expect(await db.blobs.count()).toBe(0);
	});

	it('a backup carries the images and audio, and imports back whole', async () => {
		const from = freshDb().db;
		const { rows } = await seedMedia(from);
		const file = await exportAll(from, { includeKeys: false });
		const to = freshDb().db;
		const result = await importAll(to, file);
		expect(result.ok).toBe(true);
		expect(await listMessages(to, 'c1')).toEqual(rows);
		const types = (await to.blobs.toArray()).map((b) => b.mime).sort();
		expect(types).toEqual(['audio/mpeg', 'audio/wav', 'image/png']);
		expect((await to.conversations.get('c1'))?.columns[0]?.mode).toBe('speech');
	});

	it('an import whose media points at a file not in it is refused', async () => {
		const from = freshDb().db;
		await seedMedia(from);
		const data = JSON.parse(await (await exportAll(from, { includeKeys: false })).text()) as {
			blobs: Array<{ mime: string }>;
		};
		data.blobs = data.blobs.filter((b) => b.mime !== 'audio/mpeg');
		const result = await importAll(freshDb().db, JSON.stringify(data));
		expect(result.ok ? '' : result.message.vars?.detail).toMatch(/messages\[\d\]\.media/);
	});
});

describe('a fork’s files', () => {
	it('are its own copies: deleting the source keeps them', async () => {
		const { db } = freshDb();
		const { rows } = await seedMedia(db);
		const ids = rows.flatMap(blobIdsOf);
		const copies = await copyBlobs(db, ids);
		const forked = rows.map((m) => renameBlobs(m, (id) => copies.get(id) ?? id));
		expect(forked.flatMap(blobIdsOf)).toHaveLength(3);
		expect(forked.flatMap(blobIdsOf).some((id) => ids.includes(id))).toBe(false);
		await deleteConversation(db, 'c1');
		const [image, speech] = forked.flatMap(blobIdsOf);
		expect((await getBlob(db, image ?? ''))?.type).toBe('image/png');
		expect((await getAudio(db, speech ?? ''))?.type).toBe('audio/mpeg');
	});
});
