/**
 * One media request from start to settled result: images (b64_json checked as a raster image, or
 * a URL kept unfetched), speech (audio bytes, teed for playback while they download) and
 * transcription (json, text formats, or streamed transcript deltas). Errors, abort and timeouts
 * as for chat.
 */
import {
	missingMedia,
	notImageError,
	parseError,
	readError,
	streamError,
	unexpectedBody
} from './errors.ts';
import {
	errorText,
	openExchange,
	readChunks,
	type Exchange,
	type ExchangeOptions,
	type Interruption
} from './exchange.ts';
import { describeBinary } from './media-request.ts';
import { isObject } from './params.ts';
import { readSse, type SseEvent } from './stream.ts';
import type {
	FormPart,
	GeneratedImage,
	MediaMode,
	MediaResult,
	MediaUsage,
	PreparedMediaRequest,
	RawResponse,
	Transcript,
	TranscriptSegment,
	WireError
} from './types.ts';

export interface MediaRunOptions extends ExchangeOptions {
	/** The result so far: a partial transcript while it streams. */
	onUpdate?: (result: MediaResult) => void;
	/**
	 * A copy of the speech body as it arrives, with its content type, so the page may play it
	 * while it downloads. Called once, when the response headers are in; the stream errors when
	 * the request is stopped or fails.
	 */
	onAudio?: (stream: ReadableStream<Uint8Array>, type: string) => void;
}

/** Past this a media answer stops with a notice (ten large base64 images fit). */
export const MAX_MEDIA_BYTES = 64 * 1024 * 1024;

/** What a 2xx body turned into: the result's fields, or why it is no answer. */
type Outcome = { fields: Partial<MediaResult> } | { error: WireError };

/** What a mode's reader of a 2xx body works with. */
interface Reading {
	ex: Exchange;
	response: Response;
	req: PreparedMediaRequest;
	opts: MediaRunOptions;
	/** Keeps what was read so far (a partial transcript or audio) and reports it. */
	update: (fields: Partial<MediaResult>) => void;
}

const READERS: Record<MediaMode, (r: Reading) => Promise<Outcome | Interruption>> = {
	images: readImages,
	speech: readSpeech,
	transcription: readTranscript
};

/** Never throws: every outcome is a MediaResult with a status, and the raw exchange. */
export async function runMedia(
	req: PreparedMediaRequest,
	opts: MediaRunOptions = {}
): Promise<{ result: MediaResult; raw: RawResponse }> {
	const ex = openExchange(req.url, opts, MAX_MEDIA_BYTES);
	const model = typeof req.json?.model === 'string' ? req.json.model : formValue(req, 'model');
	let result: MediaResult = {
		mode: req.mode,
		status: 'streaming',
		timing: { startedAt: ex.startedAt },
		...(model ? { model } : {})
	};
	/** The result as it stands, with its first byte's time; `end` closes it. */
	const snapshot = (status: MediaResult['status'], end: boolean, error?: WireError) => {
		const firstByteAt = ex.firstByteAt();
		result = {
			...result,
			status,
			timing: {
				...result.timing,
				...(firstByteAt !== undefined ? { firstTokenAt: firstByteAt } : {}),
				...(end ? { endedAt: ex.now() } : {})
			},
			...(error ? { error } : {})
		};
		return result;
	};
	const settle = (status: MediaResult['status'], error?: WireError) => ({
		result: snapshot(status, true, error),
		raw: ex.raw
	});
	const ended = (end: Interruption) => settle(end.status, end.error);

	try {
		const body = req.form ? formData(req.form) : JSON.stringify(req.json ?? {});
		const sent = await ex.send(req.headers, body);
		if (!('response' in sent)) return ended(sent);
		const { response } = sent;
		if (!response.ok) return ended(await ex.httpFailure(response));
		const outcome = await READERS[req.mode]({
			ex,
			response,
			req,
			opts,
			update: (fields) => {
				result = { ...result, ...fields };
				opts.onUpdate?.(snapshot('streaming', false));
			}
		});
		if ('status' in outcome) return ended(outcome);
		if ('error' in outcome) return settle('failed', outcome.error);
		result = { ...result, ...outcome.fields };
		return settle('done');
	} catch (err) {
		// A bug of ours must not leave the result busy for good: it fails, keeping what arrived.
		return settle('failed', readError(errorText(err)));
	} finally {
		ex.close();
	}
}

function formValue(req: PreparedMediaRequest, name: string): string | undefined {
	const part = req.form?.find((p) => p.name === name);
	return part && 'value' in part ? part.value : undefined;
}

function formData(parts: FormPart[]): FormData {
	const form = new FormData();
	for (const part of parts)
		if ('file' in part) form.append(part.name, part.file, part.fileName);
		else form.append(part.name, part.value);
	return form;
}

/**
 * A 2xx body read as text and parsed as JSON, or why it is no JSON answer: an empty body or a
 * page (a login wall), text that does not parse, or an error object sent with status 200.
 */
async function readJson(
	ex: Exchange,
	response: Response,
	shown?: (text: string) => string
): Promise<{ json: unknown; text: string } | { error: WireError } | Interruption> {
	const read = await ex.readText(response, shown);
	if (!('text' in read)) return read;
	const { text } = read;
	const type = response.headers.get('content-type') ?? '';
	if (!text.trim() || (/html/i.test(type) && !/json/i.test(type)))
		return { error: unexpectedBody(response.status, type, text) };
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { error: parseError(text) };
	}
	if (isObject(json) && json.error) return { error: streamError(text) };
	return { json, text };
}

function usageOf(body: Record<string, unknown>): MediaUsage | undefined {
	if (!isObject(body.usage)) return undefined;
	const usage: MediaUsage = {};
	for (const key of ['input_tokens', 'output_tokens', 'total_tokens'] as const) {
		const v = body.usage[key];
		if (typeof v === 'number') usage[key] = v;
	}
	return Object.keys(usage).length ? usage : undefined;
}

/** `"b64_json": "iVBOR…"` → `"b64_json": "<image/png, 12.3 KB>"`: the raw view keeps no pixels. */
function summariseBase64(text: string): string {
	return text.replace(/"b64_json"\s*:\s*"([^"]*)"/g, (_m, b64: string) => {
		const bytes = decodeBase64(b64.slice(0, 64));
		const type = bytes ? (sniffImageType(bytes) ?? 'unknown') : 'not base64';
		const padding = /=*$/.exec(b64)?.[0].length ?? 0;
		return `"b64_json": "<${describeBinary(type, Math.floor((b64.length * 3) / 4) - padding)}>"`;
	});
}

function decodeBase64(b64: string): Uint8Array | undefined {
	try {
		// Some gateways send the URL-safe alphabet; whitespace may wrap long lines.
		const bin = atob(b64.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/'));
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		return bytes;
	} catch {
		return undefined;
	}
}

/** The first bytes, as text when they are printable, else as hex: what the user can recognise. */
function startOf(bytes: Uint8Array): string {
	const head = bytes.subarray(0, 12);
	const text = String.fromCharCode(...head);
	return /^[\x20-\x7e]*$/.test(text)
		? `“${text}”`
		: Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** b64 bytes (or a data: URL) → a Blob typed by its magic bytes; anything else is refused. */
function imageBlob(b64: string): Blob | WireError {
	const data = /^data:[^,]*;base64,/i.exec(b64);
	const bytes = decodeBase64(data ? b64.slice(data[0].length) : b64);
	if (!bytes) return notImageError(`“${b64.slice(0, 12)}”`);
	const type = sniffImageType(bytes);
	if (!type) return notImageError(startOf(bytes));
	return new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
}

async function readImages({ ex, response }: Reading): Promise<Outcome | Interruption> {
	const read = await readJson(ex, response, summariseBase64);
	if (!('json' in read)) return read;
	const { json, text } = read;
	const data = isObject(json) && Array.isArray(json.data) ? json.data : [];
	const images: GeneratedImage[] = [];
	for (const item of data) {
		if (!isObject(item)) continue;
		const image: GeneratedImage = {};
		if (typeof item.b64_json === 'string' && item.b64_json) {
			const blob = imageBlob(item.b64_json);
			if (!(blob instanceof Blob)) return { error: blob };
			image.blob = blob;
		} else if (typeof item.url === 'string' && item.url.startsWith('data:')) {
			const blob = imageBlob(item.url);
			if (!(blob instanceof Blob)) return { error: blob };
			image.blob = blob;
		} else if (typeof item.url === 'string' && /^https?:\/\//i.test(item.url)) {
			// Shown as a link the user opens; the page never fetches it.
			image.url = item.url;
		} else continue;
		if (typeof item.revised_prompt === 'string' && item.revised_prompt)
			image.revisedPrompt = item.revised_prompt;
		images.push(image);
	}
	if (images.length === 0) return { error: missingMedia('images', summariseBase64(text)) };
	const body = json as Record<string, unknown>;
	const usage = usageOf(body);
	return {
		fields: {
			images,
			...(usage ? { usage } : {}),
			...(typeof body.model === 'string' ? { model: body.model } : {})
		}
	};
}

/** The audio type of each speech format, for a gateway that sends none (or a generic one). */
const SPEECH_TYPES: Record<string, string> = {
	mp3: 'audio/mpeg',
	opus: 'audio/ogg',
	aac: 'audio/aac',
	flac: 'audio/flac',
	wav: 'audio/wav',
	pcm: 'audio/pcm'
};

async function readSpeech({
	ex,
	response,
	req,
	opts,
	update
}: Reading): Promise<Outcome | Interruption> {
	const declared = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
	// JSON, a page or text under status 200 is an error or a proxy, not audio.
	if (/json|html|^text\//i.test(declared) || !response.body) {
		const read = await readJson(ex, response);
		return 'json' in read ? { error: unexpectedBody(response.status, declared, read.text) } : read;
	}
	const format = typeof req.json?.response_format === 'string' ? req.json.response_format : 'mp3';
	const type =
		declared && declared !== 'application/octet-stream'
			? declared
			: (SPEECH_TYPES[format] ?? 'application/octet-stream');
	// OpenAI's pcm is bare samples no player takes: kept as a WAV of them, so it plays and saves.
	const pcm = /^audio\/(pcm|l16)$/i.test(type);
	const kept = pcm ? 'audio/wav' : type;
	let body = response.body;
	if (opts.onAudio && !pcm) {
		const [mine, page] = body.tee();
		body = mine;
		opts.onAudio(page, type);
	}
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	let size = 0;
	const keep = () => {
		ex.record({ at: ex.now() - ex.startedAt, data: describeBinary(type, size) });
		const parts = pcm ? [wavHeader(size, PCM_RATE), ...chunks] : chunks;
		if (size > 0) update({ audio: { blob: new Blob(parts, { type: kept }), type: kept } });
	};
	try {
		await readChunks(body, ex.onBytes, ex.signal, (chunk) => {
			chunks.push(chunk as Uint8Array<ArrayBuffer>);
			size += chunk.byteLength;
		});
	} catch (err) {
		// Stopped or cut: what arrived may still play.
		keep();
		return ex.interrupted(err, true);
	}
	keep();
	if (size === 0) return { error: unexpectedBody(response.status, declared, '') };
	return { fields: {} };
}

/** The sample rate of OpenAI's `pcm` speech: 24 kHz, 16-bit, mono. */
const PCM_RATE = 24_000;

/** The 44-byte header of a 16-bit mono PCM WAV file holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number, sampleRate: number): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(44);
	const view = new DataView(bytes.buffer);
	const text = (at: number, s: string) =>
		[...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
	text(0, 'RIFF');
	view.setUint32(4, 36 + dataBytes, true);
	text(8, 'WAVE');
	text(12, 'fmt ');
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true);
	view.setUint16(22, 1, true);
	view.setUint32(24, sampleRate, true);
	view.setUint32(28, sampleRate * 2, true);
	view.setUint16(32, 2, true);
	view.setUint16(34, 16, true);
	text(36, 'data');
	view.setUint32(40, dataBytes, true);
	return bytes;
}

async function readTranscript({
	ex,
	response,
	req,
	update
}: Reading): Promise<Outcome | Interruption> {
	const format = formValue(req, 'response_format') ?? 'json';
	const type = response.headers.get('content-type') ?? '';
	if (/event-stream/i.test(type) && response.body)
		return readTranscriptStream(ex, response.body, format, update);
	// Formats sent as text may still come back as JSON from some gateways: read what came.
	if (/json/i.test(type) || format === 'json' || format === 'verbose_json') {
		const read = await readJson(ex, response);
		if (!('json' in read)) return read;
		const transcript = transcriptOf(read.json, format);
		if (!transcript) return { error: missingMedia('transcript', read.text) };
		const usage = isObject(read.json) ? usageOf(read.json) : undefined;
		return { fields: { transcript, ...(usage ? { usage } : {}) } };
	}
	const read = await ex.readText(response);
	if (!('text' in read)) return read;
	if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(read.text))
		return { error: unexpectedBody(response.status, type, read.text) };
	const segments = format === 'srt' || format === 'vtt' ? cues(read.text) : [];
	return {
		fields: { transcript: { text: read.text, format, ...(segments.length ? { segments } : {}) } }
	};
}

function transcriptOf(json: unknown, format: string): Transcript | undefined {
	if (!isObject(json) || typeof json.text !== 'string') return undefined;
	const transcript: Transcript = { text: json.text, format };
	const timed = Array.isArray(json.segments) ? json.segments : json.words;
	if (Array.isArray(timed)) {
		const segments = timed.flatMap((s): TranscriptSegment[] =>
			isObject(s) && typeof s.start === 'number' && typeof s.end === 'number'
				? [{ start: s.start, end: s.end, text: String(s.text ?? s.word ?? '') }]
				: []
		);
		if (segments.length) transcript.segments = segments;
	}
	if (typeof json.language === 'string') transcript.language = json.language;
	if (typeof json.duration === 'number') transcript.duration = json.duration;
	return transcript;
}

/** `00:00:01,500 --> 00:00:03,000` (SRT) or `00:01.500 --> 00:03.000` (VTT) and the text below. */
const CUE =
	/(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})[^\n]*\n([\s\S]*?)(?:\r?\n\r?\n|$)/g;

function cues(text: string): TranscriptSegment[] {
	const seconds = (h = '0', m = '0', s = '0', ms = '0') =>
		Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
	return Array.from(text.replace(/\r\n/g, '\n').matchAll(CUE), (m) => ({
		start: seconds(m[1], m[2], m[3], m[4]),
		end: seconds(m[5], m[6], m[7], m[8]),
		text: (m[9] ?? '').trim()
	}));
}

/**
 * `stream: true`: `transcript.text.delta` events add text, `transcript.text.done` carries the
 * whole (and usage). An event that is not JSON is skipped with a note, as in chat.
 */
async function readTranscriptStream(
	ex: Exchange,
	body: ReadableStream<Uint8Array>,
	format: string,
	update: (fields: Partial<MediaResult>) => void
): Promise<Outcome | Interruption> {
	let text = '';
	let done = false;
	let usage: MediaUsage | undefined;
	const events = readSse(body, { now: ex.now, onBytes: ex.onBytes, signal: ex.signal });
	for (;;) {
		let next: IteratorResult<SseEvent>;
		try {
			next = await events.next();
		} catch (err) {
			return ex.interrupted(err, true);
		}
		if (next.done) break;
		const event = next.value;
		const raw = {
			at: event.at - ex.startedAt,
			data: event.event ? `event: ${event.event}\n${event.data}` : event.data
		};
		ex.record(raw);
		if (event.event === 'error') return { error: streamError(event.data) };
		let data: unknown;
		try {
			data = JSON.parse(event.data);
		} catch {
			ex.raw.events[ex.raw.events.length - 1] = { ...raw, note: { key: 'raw.skipped' } };
			continue;
		}
		if (!isObject(data)) continue;
		if (data.error) return { error: streamError(event.data) };
		if (data.type === 'transcript.text.delta' && typeof data.delta === 'string') {
			text += data.delta;
			update({ transcript: { text, format } });
		} else if (data.type === 'transcript.text.done') {
			if (typeof data.text === 'string') text = data.text;
			usage = usageOf(data);
			done = true;
		}
	}
	if (!done && !text) return { error: unexpectedBody(200, 'text/event-stream', ex.head()) };
	return { fields: { transcript: { text, format }, ...(usage ? { usage } : {}) } };
}

/** The raster type of an image from its first bytes: png, jpeg, webp, gif, or undefined. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
	const at = (i: number, sig: number[]) => sig.every((b, k) => bytes[i + k] === b);
	if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (at(0, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
	if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
	return undefined;
}
