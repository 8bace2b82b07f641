import { describe, expect, it } from 'vitest';
import { resolveChatUrl, resolveModeUrl } from '../../../src/lib/wire/endpoint.ts';
import { mediaParamSpecs, parseMediaParams } from '../../../src/lib/wire/media-params.ts';
import {
	buildMediaRequest,
	describeBinary,
	mediaBodyText
} from '../../../src/lib/wire/media-request.ts';
import type { MediaInput, ParamValues } from '../../../src/lib/wire/types.ts';
import { endpoint } from './helpers.ts';

const audio = new Blob([new Uint8Array(3000)], { type: 'audio/wav' });

function build(input: MediaInput, params: ParamValues = {}, model = 'm') {
	return buildMediaRequest({
		endpoint: endpoint({ apiKey: 'sk-test-123456', baseUrl: 'https://gw.example/v1' }),
		model,
		input,
		params
	});
}

describe('resolveModeUrl', () => {
	const cases: Array<[string, string, string, string]> = [
		// base, images, speech, transcription
		[
			'https://host',
			'https://host/v1/images/generations',
			'https://host/v1/audio/speech',
			'https://host/v1/audio/transcriptions'
		],
		[
			'https://host/v1/',
			'https://host/v1/images/generations',
			'https://host/v1/audio/speech',
			'https://host/v1/audio/transcriptions'
		],
		[
			'https://host/v1/chat/completions',
			'https://host/v1/images/generations',
			'https://host/v1/audio/speech',
			'https://host/v1/audio/transcriptions'
		],
		[
			'https://host/api/openai',
			'https://host/api/openai/images/generations',
			'https://host/api/openai/audio/speech',
			'https://host/api/openai/audio/transcriptions'
		],
		[
			'https://host/v1/audio/speech',
			'https://host/v1/images/generations',
			'https://host/v1/audio/speech',
			'https://host/v1/audio/transcriptions'
		]
	];
	for (const [base, images, speech, transcription] of cases)
		it(`${base} → each mode's endpoint`, () => {
			expect(resolveModeUrl(base, 'images')).toEqual({ ok: true, url: images });
			expect(resolveModeUrl(base, 'speech')).toEqual({ ok: true, url: speech });
			expect(resolveModeUrl(base, 'transcription')).toEqual({ ok: true, url: transcription });
		});

	it('a pasted media URL still gives the chat URL beside it', () => {
		expect(resolveChatUrl('https://host/v1/images/generations')).toEqual({
			ok: true,
			url: 'https://host/v1/chat/completions'
		});
	});

	it('a bad base is refused for every mode as for chat', () => {
		expect(resolveModeUrl('', 'speech')).toEqual({
			ok: false,
			message: { key: 'endpoint.error.empty' }
		});
		expect(resolveModeUrl('ftp://host', 'images').ok).toBe(false);
	});
});

describe('buildMediaRequest: images', () => {
	it('sends JSON with the key as for chat', () => {
		const built = build({ mode: 'images', prompt: 'a red fox' });
		expect(built.ok && built.request.headers).toMatchObject({
			'Content-Type': 'application/json',
			Authorization: 'Bearer sk-test-123456'
		});
	});

	it('sends the input and only the defaults the API needs: b64_json, and voice alloy', () => {
		const cases: Array<[MediaInput, string, Record<string, unknown>]> = [
			[
				{ mode: 'images', prompt: 'a red fox' },
				'https://gw.example/v1/images/generations',
				{ model: 'm', prompt: 'a red fox', response_format: 'b64_json' }
			],
			[
				{ mode: 'speech', text: 'Hello there' },
				'https://gw.example/v1/audio/speech',
				{ model: 'm', input: 'Hello there', voice: 'alloy' }
			]
		];
		for (const [input, url, json] of cases) {
			const built = build(input);
			expect(built.ok && built.request.url).toBe(url);
			expect(built.ok && built.request.json).toEqual(json);
		}
	});

	it('sends what is set: size, n, quality, url; omit leaves response_format out', () => {
		const built = build(
			{ mode: 'images', prompt: 'p' },
			{ size: '1536x1024', n: '2', quality: 'high', response_format: 'url', style: '' }
		);
		expect(built.ok && built.request.json).toEqual({
			model: 'm',
			prompt: 'p',
			size: '1536x1024',
			n: 2,
			quality: 'high',
			response_format: 'url'
		});
		const omitted = build({ mode: 'images', prompt: 'p' }, { response_format: 'omit' });
		expect(omitted.ok && omitted.request.json).toEqual({ model: 'm', prompt: 'p' });
	});

	it('extra body is merged last but cannot replace the model or the prompt', () => {
		const built = build(
			{ mode: 'images', prompt: 'p' },
			{ extra_body: '{"moderation": "low", "model": "x", "prompt": "y"}' }
		);
		expect(built.ok && built.request.json).toEqual({
			model: 'm',
			prompt: 'p',
			response_format: 'b64_json',
			moderation: 'low'
		});
	});

	it('an empty prompt, a missing model and a bad size are refused, keyed by control', () => {
		const built = build({ mode: 'images', prompt: '   ' }, { size: 'big', n: '11' }, ' ');
		expect(built.ok).toBe(false);
		if (built.ok) return;
		expect(built.errors.prompt).toEqual({ key: 'media.error.prompt' });
		expect(built.errors.model).toEqual({ key: 'request.error.model' });
		expect(built.errors.size).toEqual({ key: 'media.error.size', vars: { value: 'big' } });
		expect(built.errors.n).toEqual({ key: 'param.error.range', vars: { min: 1, max: 10 } });
	});
});

describe('buildMediaRequest: speech', () => {
	it('sends voice, format, speed and instructions as set; speed out of range is refused', () => {
		const built = build(
			{ mode: 'speech', text: 'Hi' },
			{ voice: 'my-voice', response_format: 'wav', speed: '1.5', instructions: 'Whisper.' }
		);
		expect(built.ok && built.request.json).toEqual({
			model: 'm',
			input: 'Hi',
			voice: 'my-voice',
			response_format: 'wav',
			speed: 1.5,
			instructions: 'Whisper.'
		});
		const bad = build({ mode: 'speech', text: '' }, { speed: '5' });
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(bad.errors.text).toEqual({ key: 'media.error.text' });
		expect(bad.errors.speed?.key).toBe('param.error.range');
	});

	it('Voice is free text with suggestions; Format is labelled Format', () => {
		const specs = mediaParamSpecs('speech');
		expect(specs.find((p) => p.key === 'voice')?.suggestions).toContain('nova');
		expect(specs.find((p) => p.key === 'response_format')?.label).toBe('Format');
	});
});

describe('buildMediaRequest: transcription', () => {
	it('multipart: the file, the model and each set field; no JSON content type', () => {
		const built = build(
			{ mode: 'transcription', file: audio, fileName: 'talk.wav' },
			{
				language: 'en',
				response_format: 'verbose_json',
				timestamp_granularities: 'word,segment',
				temperature: '0.2',
				stream: true
			}
		);
		expect(built.ok).toBe(true);
		if (!built.ok) return;
		const req = built.request;
		expect(req.url).toBe('https://gw.example/v1/audio/transcriptions');
		expect(req.json).toBeUndefined();
		expect(req.headers['Content-Type']).toBeUndefined();
		expect(req.headers.Authorization).toBe('Bearer sk-test-123456');
		expect(
			req.form?.map((p) => ('file' in p ? [p.name, p.fileName, p.file.size] : [p.name, p.value]))
		).toEqual([
			['file', 'talk.wav', 3000],
			['model', 'm'],
			['language', 'en'],
			['response_format', 'verbose_json'],
			['temperature', '0.2'],
			['timestamp_granularities[]', 'word'],
			['timestamp_granularities[]', 'segment'],
			['stream', 'true']
		]);
	});

	it('timestamp granularities need verbose_json; an empty file is refused', () => {
		const built = build(
			{ mode: 'transcription', file: new Blob([]), fileName: 'empty.wav' },
			{ timestamp_granularities: 'word', language: 'english!' }
		);
		expect(built.ok).toBe(false);
		if (built.ok) return;
		expect(built.errors.file).toEqual({ key: 'media.error.file' });
		expect(built.errors.timestamp_granularities).toEqual({ key: 'media.error.granularities' });
		expect(built.errors.language?.key).toBe('media.error.language');
	});

	it('the raw view lists parts and summarises the file, never its bytes', () => {
		const built = build(
			{ mode: 'transcription', file: audio, fileName: 'talk.wav' },
			{ response_format: 'srt' }
		);
		if (!built.ok) throw new Error('not built');
		expect(mediaBodyText(built.request)).toBe(
			'file: @talk.wav (audio/wav, 2.9 KB)\nmodel: m\nresponse_format: srt'
		);
	});
});

describe('media parameters', () => {
	it('every parameter of every mode has a label and help key of its mode', () => {
		for (const mode of ['images', 'speech', 'transcription'] as const)
			for (const p of mediaParamSpecs(mode)) {
				expect(p.labelKey).toBe(`media.${mode}.${p.key}`);
				expect(p.helpKey).toBe(`media.${mode}.${p.key}.help`);
			}
	});

	it('what you typed is kept; only set values are sent', () => {
		expect(parseMediaParams('transcription', { prompt: '', temperature: ' ' })).toEqual({
			fields: {},
			errors: {}
		});
	});

	it('describeBinary names the type and a readable size', () => {
		expect(describeBinary('audio/mpeg', 12_600)).toBe('audio/mpeg, 12.3 KB');
		expect(describeBinary('', 10)).toBe('application/octet-stream, 10 B');
		expect(describeBinary('image/png; x=1', 5 * 1024 * 1024)).toBe('image/png, 5.0 MB');
	});
});
