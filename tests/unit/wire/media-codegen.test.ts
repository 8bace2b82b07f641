/**
 * Media requests against the test gateway, as the app sends them, and their code export replayed
 * with cURL: the gateway must receive the same request both ways.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	toCurl,
	toJavaScript,
	toPythonOpenAI,
	toPythonRequests
} from '../../../src/lib/wire/codegen.ts';
import { buildMediaRequest } from '../../../src/lib/wire/media-request.ts';
import { runMedia } from '../../../src/lib/wire/media.ts';
import type { MediaInput, ParamValues } from '../../../src/lib/wire/types.ts';
import { imageFor, silentMp3, transcriptFor, type RecordedRequest } from '../../gateway/server.ts';
import { useGateway } from '../gateway/helpers.ts';
import { endpoint } from './helpers.ts';

const run = promisify(execFile);
const KEY = 'sk-media-0123456789';
const gateway = useGateway();
const AUDIO = new Uint8Array(4321).map((_, i) => i % 251);

let dir = '';
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'sb-media-'));
	await writeFile(join(dir, 'talk.wav'), AUDIO);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function request(input: MediaInput, params: ParamValues = {}, model = 'm1') {
	const built = buildMediaRequest({
		endpoint: endpoint({ baseUrl: `${gateway().url}/v1`, apiKey: KEY }),
		model,
		input,
		params
	});
	if (!built.ok) throw new Error(JSON.stringify(built.errors));
	return built.request;
}

const upload: MediaInput = {
	mode: 'transcription',
	file: new Blob([AUDIO], { type: 'audio/wav' }),
	fileName: 'talk.wav'
};

/** What a replayed request must match: path, auth, JSON body, or form parts (files by name and size). */
function sent(r: RecordedRequest | undefined) {
	return {
		path: r?.path,
		auth: r?.headers.authorization,
		body: r?.form ? undefined : r?.body,
		form: r?.form?.map((p) => ('fileName' in p ? [p.name, p.fileName, p.size] : [p.name, p.value]))
	};
}

/** Runs the exported cURL command in `dir`, with the key from the environment. */
async function replay(curl: string): Promise<RecordedRequest | undefined> {
	expect(curl).not.toContain(KEY);
	await run('bash', ['-c', curl], { cwd: dir, env: { ...process.env, OPENAI_API_KEY: KEY } });
	return gateway().mediaRequests().at(-1);
}

describe('the gateway answers every mode', () => {
	it('images: PNG bytes as b64_json, and a URL it serves when asked', async () => {
		const { result } = await runMedia(request({ mode: 'images', prompt: 'a fox' }, { n: '2' }));
		expect(result.status).toBe('done');
		const bytes = await result.images?.[0]?.blob?.arrayBuffer();
		expect(new Uint8Array(bytes ?? new ArrayBuffer(0))).toEqual(imageFor('a fox', 0));
		expect(result.images?.[1]?.revisedPrompt).toBe('a fox, revised');
		const url = await runMedia(
			request({ mode: 'images', prompt: 'a fox' }, { response_format: 'url' })
		);
		const link = url.result.images?.[0]?.url ?? '';
		expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/image-0\.png/);
		const png = new Uint8Array(await (await fetch(link)).arrayBuffer());
		expect(png).toEqual(imageFor('a fox', 0));
	});

	it('speech: MP3 bytes for mp3, a WAV otherwise', async () => {
		const mp3 = await runMedia(request({ mode: 'speech', text: 'Hello' }));
		expect(mp3.result.audio?.type).toBe('audio/mpeg');
		expect(mp3.result.audio?.blob.size).toBe(silentMp3(40).length);
		const wav = await runMedia(
			request({ mode: 'speech', text: 'Hello' }, { response_format: 'wav' })
		);
		expect(wav.result.audio?.type).toBe('audio/wav');
		const head = new Uint8Array((await wav.result.audio?.blob.arrayBuffer()) ?? new ArrayBuffer(0));
		expect(new TextDecoder().decode(head.subarray(0, 4))).toBe('RIFF');
	});

	it('transcription: the multipart upload is parsed and recorded; each format answers', async () => {
		const text = transcriptFor('talk.wav', AUDIO.length, 'm1');
		for (const format of ['json', 'text', 'srt', 'vtt', 'verbose_json']) {
			const { result } = await runMedia(request(upload, { response_format: format }));
			expect(result.status).toBe('done');
			expect(result.transcript?.format).toBe(format);
			expect(result.transcript?.text).toContain(
				format === 'json' || format === 'text' || format === 'verbose_json' ? text : 'talk.wav'
			);
		}
		const recorded = gateway().mediaRequests().at(-1);
		expect(recorded?.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(recorded?.form).toEqual([
			{ name: 'file', fileName: 'talk.wav', type: 'audio/wav', size: AUDIO.length },
			{ name: 'model', value: 'm1' },
			{ name: 'response_format', value: 'verbose_json' }
		]);
		const streamed = await runMedia(request(upload, { stream: true }));
		expect(streamed.result.transcript?.text).toBe(text);
		expect(streamed.raw.events.length).toBeGreaterThan(3);
	});

	it('errors are scripted by model name, as for chat', async () => {
		const denied = await runMedia(request({ mode: 'speech', text: 'Hi' }, {}, 'error-401-json'));
		expect(denied.result.error?.message.vars?.said).toBe('Invalid API key (invalid_api_key)');
		const page = await runMedia(request(upload, {}, 'error-502-html'));
		expect(page.result.error?.status).toBe(502);
		const svg = await runMedia(request({ mode: 'images', prompt: 'x' }, {}, 'not-image'));
		expect(svg.result.error?.message.key).toBe('error.notImage');
		const stop = new AbortController();
		const hung = runMedia(request({ mode: 'speech', text: 'Hi' }, {}, 'hang'), {
			signal: stop.signal,
			onAudio: () => setTimeout(() => stop.abort(), 0)
		});
		const { result } = await hung;
		expect(result.status).toBe('stopped');
		expect(result.audio?.blob.size).toBe(silentMp3(2).length);
	});
});

describe('code export replayed with cURL sends the same request', () => {
	const opts = { apiKey: KEY, includeKey: false };

	it('transcription: -F parts, the file read from disk', async () => {
		const req = request(upload, {
			response_format: 'verbose_json',
			timestamp_granularities: 'word,segment',
			prompt: '@not-a-file; really',
			language: 'en'
		});
		await runMedia(req);
		const app = gateway().mediaRequests().at(-1);
		const curl = toCurl(req, opts);
		expect(curl).toContain("-F 'file=@talk.wav'");
		expect(curl).toContain("-F 'timestamp_granularities[]=word'");
		expect(curl).toContain("--form-string 'prompt=@not-a-file; really'");
		const replayed = await replay(curl);
		expect(sent(replayed)).toEqual(sent(app));
	});

	it('images and speech: the JSON body; speech saved to a file', async () => {
		for (const [input, params] of [
			[{ mode: 'images', prompt: 'it\'s a "fox"' }, { size: '512x512' }],
			[
				{ mode: 'speech', text: 'Hello $HOME' },
				{ response_format: 'wav', speed: '1.25' }
			]
		] as const) {
			const req = request(input, params);
			await runMedia(req);
			const app = gateway().mediaRequests().at(-1);
			expect(sent(await replay(toCurl(req, opts)))).toEqual(sent(app));
		}
		expect((await readFile(join(dir, 'speech.wav'))).subarray(0, 4).toString()).toBe('RIFF');
	});

	it('JavaScript and Python name the file, the fields and the key variable', () => {
		const req = request(upload, { response_format: 'srt', stream: true });
		const js = toJavaScript(req, opts);
		expect(js).toContain('form.append("file", await openAsBlob("talk.wav"), "talk.wav");');
		expect(js).toContain('form.append("stream", "true");');
		expect(js).toContain('process.env.OPENAI_API_KEY');
		const py = toPythonRequests(req, opts);
		expect(py).toContain('"file": ("talk.wav", open("talk.wav", "rb")),');
		expect(py).toContain('("response_format", "srt"),');
		const sdk = toPythonOpenAI(req, opts);
		expect(sdk).toContain(`base_url="${gateway().url}/v1"`);
		expect(sdk).toContain('client.audio.transcriptions.create(');
		expect(sdk).toContain('file=open("talk.wav", "rb"),');
		expect(sdk).toContain('stream=True,');
		const speech = toPythonOpenAI(request({ mode: 'speech', text: 'Hi' }), opts);
		expect(speech).toContain('response.stream_to_file("speech.mp3")');
		expect(speech).toContain('voice="alloy",');
		expect(toJavaScript(request({ mode: 'speech', text: 'Hi' }), opts)).toContain(
			'await writeFile("speech.mp3", Buffer.from(await response.arrayBuffer()));'
		);
		expect(toPythonOpenAI(request({ mode: 'images', prompt: 'p' }), opts)).toContain(
			'result = client.images.generate('
		);
	});
});
