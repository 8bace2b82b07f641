/**
 * The gateway's images, speech and transcription endpoints, in the OpenAI shapes. As for chat,
 * the model name picks a behaviour: any name answers normally; `slow`, `hang`, `not-image`,
 * `no-image` and the HTTP failures of models.ts (`error-401-json`, `error-502-html`, `rate-limit`,
 * `html-200`, `empty-200`, `not-json`, …) script the rest.
 */
import { encodePng, encodeWav } from '../../src/lib/wire/demo-media.ts';
import { failure, type Reply } from './models.ts';

/** A field of a multipart body as received; a file is kept as its name, type and size. */
export type RecordedPart =
	{ name: string; value: string } | { name: string; fileName: string; type: string; size: number };

/** What the media handlers read from a request: its JSON body or its form, and the gateway URL. */
export interface MediaRequest {
	path: string;
	body: unknown;
	form?: RecordedPart[];
	/** `http://127.0.0.1:PORT`, for the URLs of `response_format: url` images. */
	origin: string;
}

export const MEDIA_PATHS = new Set([
	'/v1/images/generations',
	'/images/generations',
	'/v1/audio/speech',
	'/audio/speech',
	'/v1/audio/transcriptions',
	'/audio/transcriptions'
]);

/** Where `response_format: url` images are served (GET); the page must never fetch them itself. */
export const IMAGE_FILES = /^\/files\/image-(\d+)\.png$/;

/** The image a prompt gets: 4×4 pixels of one colour from the prompt's length, as PNG bytes. */
export function imageFor(prompt: string, index = 0): Uint8Array<ArrayBuffer> {
	const shade = (prompt.length * 37 + index * 80) % 256;
	return encodePng(4, 4, new Uint8Array(48).fill(shade));
}

/** The transcript the gateway makes of an uploaded file: it names the file, its size and the model. */
export function transcriptFor(fileName: string, size: number, model: string): string {
	return `Transcript of ${fileName} (${size} bytes) by ${model}.`;
}

/**
 * An MP3 of `frames` silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 26 ms each): a header
 * and zeros decode as silence in any player.
 */
export function silentMp3(frames = 20): Uint8Array {
	const frame = new Uint8Array(417);
	frame.set([0xff, 0xfb, 0x90, 0x64]);
	const out = new Uint8Array(frame.length * frames);
	for (let i = 0; i < frames; i++) out.set(frame, i * frame.length);
	return out;
}

function modelOf(req: MediaRequest): string {
	const body = req.body as { model?: unknown } | undefined;
	if (typeof body?.model === 'string') return body.model;
	const part = req.form?.find((p) => p.name === 'model');
	return part && 'value' in part ? part.value : 'echo';
}

function field(req: MediaRequest, name: string): unknown {
	if (req.form) {
		const part = req.form.find((p) => p.name === name);
		return part && 'value' in part ? part.value : undefined;
	}
	return (req.body as Record<string, unknown> | undefined)?.[name];
}

function json(r: Reply, status: number, value: unknown): void {
	r.res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function invalid(r: Reply, message: string, param: string): void {
	json(r, 400, { error: { message, type: 'invalid_request_error', param, code: null } });
}

export async function answerMedia(r: Reply, req: MediaRequest): Promise<void> {
	const model = modelOf(req);
	if (model === 'hang') {
		r.res.writeHead(200, { 'content-type': 'audio/mpeg' });
		r.res.write(silentMp3(2));
		await new Promise((resolve) => r.res.once('close', resolve));
		return;
	}
	if (await failure(r, model, {})) return;
	if (req.path.endsWith('/images/generations')) return images(r, req, model);
	if (req.path.endsWith('/audio/speech')) return speech(r, req, model);
	return transcription(r, req, model);
}

async function images(r: Reply, req: MediaRequest, model: string): Promise<void> {
	const prompt = field(req, 'prompt');
	if (typeof prompt !== 'string' || !prompt) return invalid(r, 'prompt is required', 'prompt');
	if (model === 'slow') await r.wait(1500);
	const n = Math.min(Math.max(Number(field(req, 'n') ?? 1) || 1, 1), 4);
	const asUrl = field(req, 'response_format') === 'url';
	const data =
		model === 'no-image'
			? []
			: Array.from({ length: n }, (_, i) => {
					const bytes =
						model === 'not-image'
							? new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
							: imageFor(prompt, i);
					return {
						...(asUrl
							? { url: `${req.origin}/files/image-${i}.png?prompt=${encodeURIComponent(prompt)}` }
							: { b64_json: Buffer.from(bytes).toString('base64') }),
						revised_prompt: `${prompt}, revised`
					};
				});
	json(r, 200, {
		created: 1_700_000_000,
		data,
		usage: {
			input_tokens: prompt.length,
			output_tokens: 1000 * n,
			total_tokens: prompt.length + 1000 * n
		}
	});
}

const AUDIO_TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav' };

async function speech(r: Reply, req: MediaRequest, model: string): Promise<void> {
	const input = field(req, 'input');
	if (typeof input !== 'string' || !input) return invalid(r, 'input is required', 'input');
	if (typeof field(req, 'voice') !== 'string') return invalid(r, 'voice is required', 'voice');
	const format = String(field(req, 'response_format') ?? 'mp3');
	const mp3 = format === 'mp3';
	// MP3 bytes for mp3, a WAV for every other format (the tests check what is sent, not codecs).
	const bytes = mp3 ? silentMp3(40) : encodeWav(Math.min(0.3 + input.length * 0.02, 3), 'alloy');
	r.res.writeHead(200, { 'content-type': AUDIO_TYPES[format] ?? 'audio/wav' });
	if (model !== 'slow') return void r.res.end(bytes);
	// A slow voice: the audio trickles in over about two seconds, so it can play (or be stopped)
	// while it downloads.
	const step = Math.ceil(bytes.length / 20);
	for (let at = 0; at < bytes.length && !r.res.destroyed; at += step) {
		r.res.write(bytes.subarray(at, at + step));
		await r.wait(100);
	}
	r.res.end();
}

async function transcription(r: Reply, req: MediaRequest, model: string): Promise<void> {
	const file = req.form?.find((p) => p.name === 'file');
	if (!file || !('fileName' in file)) return invalid(r, 'file is required', 'file');
	const text = transcriptFor(file.fileName, file.size, model);
	const format = String(field(req, 'response_format') ?? 'json');
	const usage = { type: 'tokens', input_tokens: 20, output_tokens: 10, total_tokens: 30 };
	if (field(req, 'stream') === 'true') {
		r.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
		for (const delta of text.match(/\s*\S+\s*/g) ?? []) {
			r.res.write(`data: ${JSON.stringify({ type: 'transcript.text.delta', delta })}\n\n`);
			await r.wait(model === 'slow' ? 150 : 5);
		}
		r.res.end(`data: ${JSON.stringify({ type: 'transcript.text.done', text, usage })}\n\n`);
		return;
	}
	const words = text.split(' ');
	const half = Math.ceil(words.length / 2);
	const segments = [
		{ id: 0, start: 0, end: 1, text: words.slice(0, half).join(' ') },
		{ id: 1, start: 1, end: 2.5, text: words.slice(half).join(' ') }
	];
	const time = (s: number, sep: string) =>
		`00:00:${String(Math.floor(s)).padStart(2, '0')}${sep}${String(Math.round((s % 1) * 1000)).padStart(3, '0')}`;
	const cues = (sep: string) =>
		segments.map((s) => `${time(s.start, sep)} --> ${time(s.end, sep)}\n${s.text}\n`);
	const plain = (body: string) =>
		void r.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
	switch (format) {
		case 'text':
			return plain(`${text}\n`);
		case 'srt':
			return plain(
				cues(',')
					.map((c, i) => `${i + 1}\n${c}`)
					.join('\n')
			);
		case 'vtt':
			return plain(`WEBVTT\n\n${cues('.').join('\n')}`);
		case 'verbose_json': {
			const granularities = req.form?.filter((p) => p.name === 'timestamp_granularities[]');
			const wantWords = granularities?.some((p) => 'value' in p && p.value === 'word');
			return json(r, 200, {
				task: 'transcribe',
				language: String(field(req, 'language') ?? 'english'),
				duration: 2.5,
				text,
				segments,
				...(wantWords
					? { words: words.map((word, i) => ({ word, start: i * 0.3, end: i * 0.3 + 0.3 })) }
					: {})
			});
		}
		default:
			return json(r, 200, { text, usage });
	}
}
