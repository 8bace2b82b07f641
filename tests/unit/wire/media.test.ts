import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodePng, encodeWav } from '../../../src/lib/wire/demo-media.ts';
import { DEMO_BASE_URL, DEMO_MODEL, demoFetch } from '../../../src/lib/wire/demo.ts';
import { buildMediaRequest } from '../../../src/lib/wire/media-request.ts';
import { runMedia, sniffImageType } from '../../../src/lib/wire/media.ts';
import { extensionOf } from '../../../src/lib/wire/media-request.ts';
import type {
	MediaInput,
	MediaResult,
	ParamValues,
	PreparedMediaRequest
} from '../../../src/lib/wire/types.ts';
import { bodyOf, endpoint, oneByte, utf8 } from './helpers.ts';

const PNG = encodePng(2, 2, new Uint8Array(12).fill(200));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function bytesOf(blob: Blob | undefined): Promise<Uint8Array> {
	if (!blob) throw new Error('no blob');
	return new Uint8Array(await blob.arrayBuffer());
}

function request(input: MediaInput, params: ParamValues = {}, base = 'https://gw.example/v1') {
	const built = buildMediaRequest({
		endpoint: endpoint({ baseUrl: base }),
		model: DEMO_MODEL,
		input,
		params
	});
	if (!built.ok) throw new Error(JSON.stringify(built.errors));
	return built.request;
}

const imagesReq = (params: ParamValues = {}) =>
	request({ mode: 'images', prompt: 'a fox' }, params);
const speechReq = (params: ParamValues = {}) => request({ mode: 'speech', text: 'Hello' }, params);
const transcriptionReq = (params: ParamValues = {}) =>
	request(
		{
			mode: 'transcription',
			file: new Blob([new Uint8Array(2048)], { type: 'audio/wav' }),
			fileName: 'talk.wav'
		},
		params
	);

/** Answers every request with `response`, remembering what was sent. */
function answering(make: () => Response) {
	const sent: RequestInit[] = [];
	const fetch: typeof globalThis.fetch = async (_url, init) => {
		sent.push(init ?? {});
		return make();
	};
	return { fetch, sent };
}

describe('runMedia: images', () => {
	it('b64_json becomes a PNG Blob; the revised prompt and usage are kept; the raw view has no pixels', async () => {
		const image = b64(PNG);
		const { fetch, sent } = answering(() =>
			Response.json({
				data: [{ b64_json: image, revised_prompt: 'A fox, painted' }],
				usage: { input_tokens: 5, output_tokens: 100, total_tokens: 105 }
			})
		);
		const { result, raw } = await runMedia(imagesReq(), { fetch });
		expect(result.status).toBe('done');
		expect(JSON.parse(String(sent[0]?.body))).toEqual({
			model: DEMO_MODEL,
			prompt: 'a fox',
			response_format: 'b64_json'
		});
		expect(result.images).toHaveLength(1);
		const blob = result.images?.[0]?.blob;
		expect(blob?.type).toBe('image/png');
		expect(await bytesOf(blob)).toEqual(PNG);
		expect(result.images?.[0]?.revisedPrompt).toBe('A fox, painted');
		expect(result.usage).toEqual({ input_tokens: 5, output_tokens: 100, total_tokens: 105 });
		expect(result.timing.endedAt).toBeGreaterThanOrEqual(result.timing.startedAt);
		expect(raw.events[0]?.data).toContain(`"b64_json": "<image/png, ${PNG.length} B>"`);
		expect(raw.events[0]?.data).not.toContain(image.slice(0, 20));
	});

	it('a URL answer is kept as a link and never fetched', async () => {
		const calls: string[] = [];
		const fetch: typeof globalThis.fetch = async (url) => {
			calls.push(String(url));
			return Response.json({ data: [{ url: 'https://cdn.example/img/1.png' }] });
		};
		const { result } = await runMedia(imagesReq({ response_format: 'url' }), { fetch });
		expect(result.status).toBe('done');
		expect(result.images).toEqual([{ url: 'https://cdn.example/img/1.png' }]);
		expect(calls).toEqual(['https://gw.example/v1/images/generations']);
	});

	it('bytes that are no raster image (an SVG) are refused, never shown', async () => {
		const svg = b64(utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'));
		const { fetch } = answering(() => Response.json({ data: [{ b64_json: svg }] }));
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.status).toBe('failed');
		expect(result.images).toBeUndefined();
		expect(result.error?.message).toEqual({
			key: 'error.notImage',
			vars: { start: '“<svg xmlns="”' }
		});
	});

	it('URL-safe base64 and a data: URL prefix are read too', async () => {
		const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);
		const { fetch } = answering(() =>
			Response.json({
				data: [
					{ b64_json: Buffer.from(jpeg).toString('base64url') },
					{ b64_json: `data:image/png;base64,${b64(PNG)}` }
				]
			})
		);
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.images?.map((i) => i.blob?.type)).toEqual(['image/jpeg', 'image/png']);
		expect(await bytesOf(result.images?.[0]?.blob)).toEqual(jpeg);
	});

	it('JPEG, WebP and GIF are told by their magic bytes', () => {
		expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
		expect(sniffImageType(utf8('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
		expect(sniffImageType(utf8('GIF89a'))).toBe('image/gif');
		expect(sniffImageType(utf8('<svg'))).toBeUndefined();
	});

	it('an answer with no image says so, quoting it', async () => {
		const { fetch } = answering(() => Response.json({ data: [] }));
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.status).toBe('failed');
		expect(result.error?.message).toEqual({
			key: 'error.noImages',
			vars: { start: '{"data":[]}' }
		});
	});

	it('an HTTP error shows the server’s words', async () => {
		const { fetch } = answering(() =>
			Response.json(
				{
					error: {
						message: 'Your prompt was rejected by the safety system',
						code: 'content_policy_violation'
					}
				},
				{ status: 400 }
			)
		);
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.status).toBe('failed');
		expect(result.error?.status).toBe(400);
		expect(result.error?.message.vars?.said).toBe(
			'Your prompt was rejected by the safety system (content_policy_violation)'
		);
	});

	it('an HTML page under 200 is no answer', async () => {
		const { fetch } = answering(
			() =>
				new Response('<html><title>Sign in</title><body>Please sign in</body></html>', {
					headers: { 'content-type': 'text/html' }
				})
		);
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.status).toBe('failed');
		expect(result.error?.message.key).toBe('error.unexpected');
		expect(result.error?.message.vars?.start).toBe('Sign in Please sign in');
	});

	it('an answer past the size cap stops with a notice, not the tab’s memory', async () => {
		const { fetch } = answering(() =>
			Response.json({ data: [{ b64_json: b64(new Uint8Array(3000)) }] })
		);
		const { result } = await runMedia(imagesReq(), { fetch, maxBytes: 1000 });
		expect(result.status).toBe('stopped');
		expect(result.error?.kind).toBe('size');
		expect(result.images).toBeUndefined();
	});

	it('a redirect is not followed', async () => {
		const { fetch } = answering(
			() => new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/' } })
		);
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.error?.kind).toBe('redirect');
	});

	it('a fetch that rejects is a network error naming the origin', async () => {
		const fetch: typeof globalThis.fetch = async () => {
			throw new TypeError('Failed to fetch');
		};
		const { result } = await runMedia(imagesReq(), { fetch });
		expect(result.status).toBe('failed');
		expect(result.error?.kind).toBe('network');
		expect(result.error?.message.vars?.origin).toBe('https://gw.example');
	});
});

/** Sends `bytes` a byte at a time after `first`, then hangs until aborted. */
function trickling(first: Uint8Array, type: string): typeof fetch {
	return async (_input, init) => {
		const signal = init?.signal;
		const body = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(first);
				signal?.addEventListener('abort', () =>
					c.error(new DOMException('The operation was aborted.', 'AbortError'))
				);
			}
		});
		return new Response(body, { headers: { 'content-type': type } });
	};
}

describe('runMedia: speech', () => {
	it('the audio body becomes a Blob of its type; the page gets a copy to play as it downloads', async () => {
		const wav = encodeWav(0.5, 'alloy');
		const { fetch, sent } = answering(
			() => new Response(bodyOf(wav, oneByte), { headers: { 'content-type': 'audio/wav' } })
		);
		let played: Promise<Uint8Array> | undefined;
		const { result, raw } = await runMedia(speechReq({ response_format: 'wav' }), {
			fetch,
			onAudio: (stream, type) => {
				expect(type).toBe('audio/wav');
				played = new Response(stream).arrayBuffer().then((b) => new Uint8Array(b));
			}
		});
		expect(JSON.parse(String(sent[0]?.body))).toEqual({
			model: DEMO_MODEL,
			input: 'Hello',
			voice: 'alloy',
			response_format: 'wav'
		});
		expect(result.status).toBe('done');
		expect(result.audio?.type).toBe('audio/wav');
		expect(await bytesOf(result.audio?.blob)).toEqual(wav);
		expect(await played).toEqual(wav);
		expect(raw.events.map((e) => e.data)).toEqual([
			`audio/wav, ${(wav.length / 1024).toFixed(1)} KB`
		]);
	});

	it('no content type: the requested format names it', async () => {
		const { fetch } = answering(() => new Response(new Uint8Array([0xff, 0xfb, 0x90, 0x00])));
		const { result } = await runMedia(speechReq(), { fetch });
		expect(result.audio?.type).toBe('audio/mpeg');
		expect(extensionOf(result.audio?.type ?? '')).toBe('mp3');
	});

	it('pcm (bare samples) is kept as a WAV of them, so it plays', async () => {
		const samples = new Uint8Array(480).fill(1);
		const { fetch } = answering(
			() => new Response(samples, { headers: { 'content-type': 'audio/pcm' } })
		);
		let teed = false;
		const { result, raw } = await runMedia(speechReq({ response_format: 'pcm' }), {
			fetch,
			onAudio: () => (teed = true)
		});
		expect(teed).toBe(false);
		expect(result.audio?.type).toBe('audio/wav');
		const wav = await bytesOf(result.audio?.blob);
		expect(new TextDecoder().decode(wav.subarray(0, 4))).toBe('RIFF');
		expect(new DataView(wav.buffer).getUint32(24, true)).toBe(24_000);
		expect(wav.subarray(44)).toEqual(samples);
		expect(raw.events[0]?.data).toBe('audio/pcm, 480 B');
	});

	it('Stop mid-download: stopped, and what arrived is kept', async () => {
		const user = new AbortController();
		const pending = runMedia(speechReq(), {
			fetch: trickling(new Uint8Array(1000).fill(7), 'audio/mpeg'),
			signal: user.signal,
			onAudio: () => setTimeout(() => user.abort(), 0)
		});
		const { result } = await pending;
		expect(result.status).toBe('stopped');
		expect(result.error).toBeUndefined();
		expect(result.audio?.blob.size).toBe(1000);
	});

	it('a silence past the idle limit fails with a timeout, keeping the audio so far', async () => {
		const { result } = await runMedia(speechReq(), {
			fetch: trickling(new Uint8Array(10), 'audio/mpeg'),
			timeoutMs: 40
		});
		expect(result.status).toBe('failed');
		expect(result.error?.message).toEqual({ key: 'error.timeout.idle', vars: { seconds: 0.04 } });
		expect(result.audio?.blob.size).toBe(10);
	});

	it('JSON under status 200 is no audio', async () => {
		const { fetch } = answering(() => Response.json({ status: 'queued' }));
		const { result } = await runMedia(speechReq(), { fetch });
		expect(result.status).toBe('failed');
		expect(result.audio).toBeUndefined();
		expect(result.error?.message.key).toBe('error.unexpected');
	});
});

describe('runMedia: transcription', () => {
	it('sends multipart form data with the file and fields; json → text and usage', async () => {
		const { fetch, sent } = answering(() =>
			Response.json({
				text: 'Hello world.',
				usage: { type: 'tokens', input_tokens: 14, output_tokens: 4, total_tokens: 18 }
			})
		);
		const { result } = await runMedia(transcriptionReq({ language: 'en' }), { fetch });
		const form = sent[0]?.body;
		expect(form).toBeInstanceOf(FormData);
		const file = (form as FormData).get('file') as File;
		expect([file.name, file.size]).toEqual(['talk.wav', 2048]);
		expect((form as FormData).get('model')).toBe(DEMO_MODEL);
		expect((form as FormData).get('language')).toBe('en');
		expect(result.status).toBe('done');
		expect(result.transcript).toEqual({ text: 'Hello world.', format: 'json' });
		expect(result.usage).toEqual({ input_tokens: 14, output_tokens: 4, total_tokens: 18 });
	});

	it('verbose_json → segments with times, language and duration', async () => {
		const { fetch } = answering(() =>
			Response.json({
				task: 'transcribe',
				language: 'english',
				duration: 3.2,
				text: 'Hello world.',
				segments: [
					{ id: 0, start: 0, end: 1.5, text: 'Hello' },
					{ id: 1, start: 1.5, end: 3.2, text: 'world.' }
				]
			})
		);
		const { result } = await runMedia(transcriptionReq({ response_format: 'verbose_json' }), {
			fetch
		});
		expect(result.transcript).toEqual({
			text: 'Hello world.',
			format: 'verbose_json',
			language: 'english',
			duration: 3.2,
			segments: [
				{ start: 0, end: 1.5, text: 'Hello' },
				{ start: 1.5, end: 3.2, text: 'world.' }
			]
		});
	});

	it('srt and vtt are kept as text, with their cues as segments; text as it is', async () => {
		const srt =
			'1\n00:00:00,000 --> 00:00:01,500\nHello\n\n2\n00:00:01,500 --> 00:00:03,200\nworld.\n';
		const { fetch } = answering(
			() => new Response(srt, { headers: { 'content-type': 'text/plain' } })
		);
		const { result } = await runMedia(transcriptionReq({ response_format: 'srt' }), { fetch });
		expect(result.transcript?.text).toBe(srt);
		expect(result.transcript?.segments).toEqual([
			{ start: 0, end: 1.5, text: 'Hello' },
			{ start: 1.5, end: 3.2, text: 'world.' }
		]);
		const vtt = 'WEBVTT\n\n00:00.000 --> 00:01.500\nHello\n';
		const asVtt = answering(() => new Response(vtt, { headers: { 'content-type': 'text/vtt' } }));
		const v = await runMedia(transcriptionReq({ response_format: 'vtt' }), { fetch: asVtt.fetch });
		expect(v.result.transcript?.segments).toEqual([{ start: 0, end: 1.5, text: 'Hello' }]);
		const asText = answering(() => new Response('Hello world.\n'));
		const t = await runMedia(transcriptionReq({ response_format: 'text' }), {
			fetch: asText.fetch
		});
		expect(t.result.transcript).toEqual({ text: 'Hello world.\n', format: 'text' });
	});

	it('stream: deltas build the text as they come, done carries the whole and usage', async () => {
		const events = [
			{ type: 'transcript.text.delta', delta: 'Hello' },
			{ type: 'transcript.text.delta', delta: ' world' },
			{
				type: 'transcript.text.done',
				text: 'Hello world.',
				usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 }
			}
		];
		const sse = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
		const { fetch } = answering(
			() =>
				new Response(bodyOf(utf8(sse), oneByte), {
					headers: { 'content-type': 'text/event-stream' }
				})
		);
		const updates: string[] = [];
		const { result, raw } = await runMedia(transcriptionReq({ stream: true }), {
			fetch,
			onUpdate: (r: MediaResult) =>
				updates.push(`${r.status}:${r.transcript?.text}:${r.timing.endedAt ?? 'open'}`)
		});
		expect(updates).toEqual(['streaming:Hello:open', 'streaming:Hello world:open']);
		expect(result.model).toBe(DEMO_MODEL);
		expect(result.status).toBe('done');
		expect(result.transcript).toEqual({ text: 'Hello world.', format: 'json' });
		expect(result.usage).toEqual({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });
		expect(raw.events).toHaveLength(3);
	});

	it('an error event in the stream fails with the server’s words', async () => {
		const sse =
			'data: {"type":"transcript.text.delta","delta":"Hel"}\n\nevent: error\ndata: {"error":{"message":"audio too long"}}\n\n';
		const { fetch } = answering(
			() => new Response(sse, { headers: { 'content-type': 'text/event-stream' } })
		);
		const { result } = await runMedia(transcriptionReq({ stream: true }), { fetch });
		expect(result.status).toBe('failed');
		expect(result.error?.message).toEqual({
			key: 'error.stream',
			vars: { said: 'audio too long' }
		});
		expect(result.transcript?.text).toBe('Hel');
	});

	it('JSON without text says there is no transcript', async () => {
		const { fetch } = answering(() => Response.json({ segments: [] }));
		const { result } = await runMedia(transcriptionReq(), { fetch });
		expect(result.error?.message.key).toBe('error.noTranscript');
	});
});

describe('runMedia: the offline demo answers every mode', () => {
	beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
	afterEach(() => void vi.useRealTimers());

	async function run(req: PreparedMediaRequest) {
		let done = false;
		const pending = runMedia(req, { fetch: demoFetch }).finally(() => (done = true));
		while (!done) await vi.advanceTimersByTimeAsync(20);
		return pending;
	}

	it('images: a PNG drawn from the prompt, as b64_json and as a URL', async () => {
		const a = await run(request({ mode: 'images', prompt: 'a fox' }, { n: '2' }, DEMO_BASE_URL));
		expect(a.result.status).toBe('done');
		expect(a.result.images?.map((i) => i.blob?.type)).toEqual(['image/png', 'image/png']);
		const b = await run(request({ mode: 'images', prompt: 'a cat' }, {}, DEMO_BASE_URL));
		const [fox, cat] = await Promise.all(
			[a.result.images?.[0]?.blob, b.result.images?.[0]?.blob].map(async (x) =>
				Buffer.from(await bytesOf(x)).toString('hex')
			)
		);
		expect(fox).not.toBe(cat);
		const url = await run(
			request({ mode: 'images', prompt: 'a fox' }, { response_format: 'url' }, DEMO_BASE_URL)
		);
		expect(url.result.images?.[0]?.blob?.type).toBe('image/png');
	});

	it('speech: a WAV whose length follows the text', async () => {
		const short = await run(request({ mode: 'speech', text: 'Hi' }, {}, DEMO_BASE_URL));
		const long = await run(
			request({ mode: 'speech', text: 'A much longer sentence to say.' }, {}, DEMO_BASE_URL)
		);
		expect(short.result.audio?.type).toBe('audio/wav');
		expect(long.result.audio?.blob.size).toBeGreaterThan(short.result.audio?.blob.size ?? Infinity);
	});

	it('transcription: names the file in every format, and streams', async () => {
		const file = new File([new Uint8Array(5000)], 'memo.webm', { type: 'audio/webm' });
		const input: MediaInput = { mode: 'transcription', file, fileName: 'memo.webm' };
		for (const format of ['json', 'text', 'srt', 'vtt', 'verbose_json']) {
			const { result } = await run(request(input, { response_format: format }, DEMO_BASE_URL));
			expect(result.status).toBe('done');
			expect(result.transcript?.text).toContain('memo.webm (4.9 KB)');
			if (format !== 'json' && format !== 'text')
				expect(result.transcript?.segments).toHaveLength(2);
		}
		const streamed = await run(request(input, { stream: true }, DEMO_BASE_URL));
		expect(streamed.result.transcript?.text).toBe('Demo transcript of memo.webm (4.9 KB).');
	});
});
