/**
 * The offline demo's media answers, generated on the spot with no DOM: a small PNG drawn from the
 * prompt (stored deflate, so no zlib), a WAV tone as long as the text, and a transcript in every
 * response format.
 */
import { MODE_PATHS } from './endpoint.ts';
import { formatBytes } from './media-request.ts';
import { wavHeader } from './media.ts';

/** The demo's answer to a media path, or undefined when `path` is not one. */
export async function demoMediaResponse(
	path: string,
	init: RequestInit | undefined,
	sse: (events: unknown[]) => ReadableStream<Uint8Array>
): Promise<Response | undefined> {
	if (path.endsWith(MODE_PATHS.images)) return images(jsonBody(init));
	if (path.endsWith(MODE_PATHS.speech)) return speech(jsonBody(init));
	if (path.endsWith(MODE_PATHS.transcription)) {
		const form = init?.body instanceof FormData ? init.body : new FormData();
		return transcription(form, sse);
	}
	return undefined;
}

function jsonBody(init: RequestInit | undefined): Record<string, unknown> {
	try {
		const body: unknown = JSON.parse(String(init?.body ?? '{}'));
		return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

function fail(message: string, status = 400): Response {
	return Response.json({ error: { message, type: 'invalid_request_error' } }, { status });
}

// ─── Images ───

/** A 32-bit FNV-1a hash: the same prompt draws the same picture. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return h;
}

/** Two colours and a pattern picked by the prompt's hash, at most 96 pixels a side. */
function drawPixels(
	prompt: string,
	size: string,
	seed: number
): { w: number; h: number; rgb: Uint8Array } {
	const [sw, sh] = /^(\d+)x(\d+)$/.exec(size)?.slice(1).map(Number) ?? [1, 1];
	const scale = 96 / Math.max(sw ?? 1, sh ?? 1, 1);
	const w = Math.max(8, Math.round((sw ?? 1) * scale));
	const h = Math.max(8, Math.round((sh ?? 1) * scale));
	const k = hash(`${prompt}#${seed}`);
	const hue = (shift: number) => [
		(k >> shift) & 0xff,
		(k >> (shift + 8)) & 0xff,
		(k >> (shift + 16)) & 0xff
	];
	const [a, b] = [hue(0), hue(8).map((c) => 255 - c)];
	const rgb = new Uint8Array(w * h * 3);
	const r = Math.min(w, h) / 3;
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const inside = (x - w / 2) ** 2 + (y - h / 2) ** 2 < r * r;
			const stripe = ((x + y + (k & 7)) >> 3) % 2 === 0;
			const c = inside ? b : stripe ? a : a.map((v) => (v * 3) >> 2);
			rgb.set(c as number[], (y * w + x) * 3);
		}
	return { w, h, rgb };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

function u32(n: number): Uint8Array {
	const b = new Uint8Array(4);
	new DataView(b.buffer).setUint32(0, n);
	return b;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
	const typed = concat([new TextEncoder().encode(type), data]);
	return concat([u32(data.length), typed, u32(crc32(typed))]);
}

/** zlib data with stored (uncompressed) deflate blocks: valid for any decoder, no compressor. */
function storedZlib(data: Uint8Array): Uint8Array {
	const blocks: Uint8Array[] = [new Uint8Array([0x78, 0x01])];
	for (let at = 0; at < data.length || at === 0; at += 0xffff) {
		const part = data.subarray(at, at + 0xffff);
		const last = at + 0xffff >= data.length ? 1 : 0;
		blocks.push(
			new Uint8Array([
				last,
				part.length & 0xff,
				part.length >> 8,
				~part.length & 0xff,
				(~part.length >> 8) & 0xff
			]),
			part
		);
		if (last) break;
	}
	let a = 1;
	let b = 0;
	for (const byte of data) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	blocks.push(u32(((b << 16) | a) >>> 0));
	return concat(blocks);
}

/** An 8-bit RGB PNG of `rgb` (w × h). */
export function encodePng(w: number, h: number, rgb: Uint8Array): Uint8Array<ArrayBuffer> {
	const rows = new Uint8Array(h * (w * 3 + 1));
	for (let y = 0; y < h; y++)
		rows.set(rgb.subarray(y * w * 3, (y + 1) * w * 3), y * (w * 3 + 1) + 1);
	const ihdr = concat([u32(w), u32(h), new Uint8Array([8, 2, 0, 0, 0])]);
	return concat([
		new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', storedZlib(rows)),
		chunk('IEND', new Uint8Array())
	]);
}

function base64(bytes: Uint8Array): string {
	let bin = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(bin);
}

function images(body: Record<string, unknown>): Response {
	const prompt = typeof body.prompt === 'string' ? body.prompt : '';
	if (!prompt.trim()) return fail('prompt is required');
	const n = Math.min(Math.max(Number(body.n ?? 1) || 1, 1), 4);
	const size = typeof body.size === 'string' ? body.size : '1024x1024';
	const data = Array.from({ length: n }, (_, i) => {
		const { w, h, rgb } = drawPixels(prompt, size, i);
		const b64 = base64(encodePng(w, h, rgb));
		const revised_prompt = `A demo picture for “${prompt.slice(0, 200)}”`;
		// A URL answer from the demo is a data: URL: there is no host to fetch from.
		return body.response_format === 'url'
			? { url: `data:image/png;base64,${b64}`, revised_prompt }
			: { b64_json: b64, revised_prompt };
	});
	const input = Math.ceil(prompt.length / 4);
	return Response.json({
		created: Math.floor(Date.now() / 1000),
		data,
		usage: { input_tokens: input, output_tokens: 256 * n, total_tokens: input + 256 * n }
	});
}

// ─── Speech ───

const SAMPLE_RATE = 8000;

/** A 16-bit mono WAV of a tone that fades in and out, `seconds` long, pitched by `voice`. */
export function encodeWav(seconds: number, voice: string): Uint8Array<ArrayBuffer> {
	const samples = Math.round(seconds * SAMPLE_RATE);
	const bytes = new Uint8Array(44 + samples * 2);
	bytes.set(wavHeader(samples * 2, SAMPLE_RATE));
	const view = new DataView(bytes.buffer);
	const freq = 220 + (hash(voice) % 440);
	const fade = SAMPLE_RATE / 20;
	for (let i = 0; i < samples; i++) {
		const envelope = Math.min(1, i / fade, (samples - i) / fade);
		view.setInt16(
			44 + i * 2,
			Math.round(Math.sin((2 * Math.PI * freq * i) / SAMPLE_RATE) * 8000 * envelope),
			true
		);
	}
	return bytes;
}

function speech(body: Record<string, unknown>): Response {
	const input = typeof body.input === 'string' ? body.input : '';
	if (!input.trim()) return fail('input is required');
	const speed = Math.min(Math.max(Number(body.speed ?? 1) || 1, 0.25), 4);
	// About the time it takes to say the text, kept short: the demo is a tone, not a voice.
	const seconds = Math.min(Math.max((input.length * 0.06) / speed, 0.5), 5);
	const voice = typeof body.voice === 'string' ? body.voice : 'alloy';
	return new Response(encodeWav(seconds, voice), { headers: { 'content-type': 'audio/wav' } });
}

// ─── Transcription ───

function transcription(
	form: FormData,
	sse: (events: unknown[]) => ReadableStream<Uint8Array>
): Response {
	const file = form.get('file');
	if (!(file instanceof Blob)) return fail('file is required');
	const name = file instanceof File && file.name ? file.name : 'audio';
	const text = `Demo transcript of ${name} (${formatBytes(file.size)}).`;
	const format = String(form.get('response_format') ?? 'json');
	const usage = {
		type: 'tokens',
		input_tokens: Math.ceil(file.size / 1000),
		output_tokens: 12,
		total_tokens: Math.ceil(file.size / 1000) + 12
	};
	if (form.get('stream') === 'true') {
		const pieces = text.match(/\s*\S+\s*/g) ?? [text];
		return new Response(
			sse([
				...pieces.map((delta) => ({ type: 'transcript.text.delta', delta })),
				{ type: 'transcript.text.done', text, usage }
			]),
			{ headers: { 'content-type': 'text/event-stream; charset=utf-8' } }
		);
	}
	const half = text.indexOf(' of ');
	const segments = [
		{ id: 0, start: 0, end: 1.2, text: text.slice(0, half) },
		{ id: 1, start: 1.2, end: 2.5, text: text.slice(half + 1) }
	];
	const stamp = (s: number, sep: string) => {
		const ms = Math.round(s * 1000);
		const pad = (n: number, w = 2) => String(n).padStart(w, '0');
		return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
	};
	const cue = (s: (typeof segments)[number], sep: string) =>
		`${stamp(s.start, sep)} --> ${stamp(s.end, sep)}\n${s.text}\n`;
	const plain = (body: string) =>
		new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
	switch (format) {
		case 'text':
			return plain(`${text}\n`);
		case 'srt':
			return plain(segments.map((s, i) => `${i + 1}\n${cue(s, ',')}`).join('\n'));
		case 'vtt':
			return plain(`WEBVTT\n\n${segments.map((s) => cue(s, '.')).join('\n')}`);
		case 'verbose_json':
			return Response.json({
				task: 'transcribe',
				language: 'english',
				duration: 2.5,
				text,
				segments,
				usage: { type: 'duration', seconds: 3 }
			});
		default:
			return Response.json({ text, usage });
	}
}
