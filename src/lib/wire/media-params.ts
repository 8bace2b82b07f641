/**
 * The parameters of the images, speech and transcription endpoints, declared once like the chat
 * ones (params.ts): each entry drives its control, help line, validation and body field. Labels
 * and help lines are `media.<mode>.<key>` and `media.<mode>.<key>.help`; without them an entry
 * does not compile.
 */
import { applyParams, isObject, type ParamSpec } from './params.ts';
import type { MediaMode, ParamValues } from './types.ts';
import type { MessageKey } from '../i18n/keys.ts';
import type { Message } from '../util/message.ts';

/** A parameter of `M` with both a label and a help line in the message tables. */
type MediaParamName<M extends MediaMode> = {
	[K in MessageKey]: K extends `media.${M}.${infer N}.help`
		? `media.${M}.${N}` extends MessageKey
			? N
			: never
		: never;
}[MessageKey];

function spec<M extends MediaMode, K extends MediaParamName<M>>(
	mode: M,
	s: Omit<ParamSpec, 'key' | 'labelKey' | 'helpKey'> & { key: K }
): ParamSpec {
	// The key type above guarantees both keys exist; the template type cannot be narrowed further.
	const labelKey = `media.${mode}.${s.key}` as MessageKey;
	const helpKey = `media.${mode}.${s.key}.help` as MessageKey;
	return { ...s, labelKey, helpKey };
}

export const IMAGE_SIZES = [
	'auto',
	'256x256',
	'512x512',
	'1024x1024',
	'1536x1024',
	'1024x1536',
	'1792x1024',
	'1024x1792'
] as const;

export const VOICES = [
	'alloy',
	'ash',
	'ballad',
	'coral',
	'echo',
	'fable',
	'onyx',
	'nova',
	'sage',
	'shimmer',
	'verse'
] as const;

export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export const TRANSCRIPT_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;

const extraBody = <M extends MediaMode>(mode: M) =>
	spec(mode, {
		key: 'extra_body' as MediaParamName<M>,
		label: 'Extra body',
		kind: 'json',
		group: 'advanced',
		placeholder: '{"moderation": "low"}',
		check: (v) => (isObject(v) ? undefined : { key: 'param.error.object' }),
		// Merged last by applyParams.
		apply: () => undefined
	});

const IMAGES: readonly ParamSpec[] = [
	spec('images', {
		key: 'size',
		label: 'Size',
		kind: 'text',
		suggestions: IMAGE_SIZES,
		placeholder: '1024x1024',
		group: 'output',
		check: (v) =>
			/^(auto|\d{1,5}x\d{1,5})$/.test(String(v))
				? undefined
				: { key: 'media.error.size', vars: { value: String(v) } }
	}),
	spec('images', {
		key: 'n',
		label: 'N',
		kind: 'integer',
		min: 1,
		max: 10,
		apiDefault: '1',
		group: 'output'
	}),
	spec('images', {
		key: 'quality',
		label: 'Quality',
		kind: 'select',
		options: ['auto', 'standard', 'hd', 'low', 'medium', 'high'],
		group: 'output'
	}),
	spec('images', {
		key: 'style',
		label: 'Style',
		kind: 'select',
		options: ['vivid', 'natural'],
		group: 'output'
	}),
	spec('images', {
		key: 'response_format',
		label: 'Response format',
		kind: 'select',
		// `omit`: gpt-image models always answer b64_json and refuse the field.
		options: ['b64_json', 'url', 'omit'],
		sentDefault: 'b64_json',
		group: 'output',
		apply: (body, v) => {
			if (v !== 'omit') body.response_format = v;
		}
	}),
	spec('images', {
		key: 'background',
		label: 'Background',
		kind: 'select',
		options: ['auto', 'transparent', 'opaque'],
		group: 'output'
	}),
	spec('images', {
		key: 'output_format',
		label: 'Output format',
		kind: 'select',
		options: ['png', 'jpeg', 'webp'],
		group: 'output'
	}),
	spec('images', {
		key: 'output_compression',
		label: 'Output compression',
		kind: 'integer',
		min: 0,
		max: 100,
		group: 'output'
	}),
	spec('images', { key: 'user', label: 'User', kind: 'text', group: 'advanced' }),
	extraBody('images')
];

const SPEECH: readonly ParamSpec[] = [
	spec('speech', {
		key: 'voice',
		label: 'Voice',
		kind: 'text',
		suggestions: VOICES,
		sentDefault: 'alloy',
		group: 'output'
	}),
	spec('speech', {
		key: 'response_format',
		label: 'Format',
		kind: 'select',
		options: SPEECH_FORMATS,
		apiDefault: 'mp3',
		group: 'output'
	}),
	spec('speech', {
		key: 'speed',
		label: 'Speed',
		kind: 'number',
		min: 0.25,
		max: 4,
		apiDefault: '1',
		group: 'output'
	}),
	spec('speech', {
		key: 'instructions',
		label: 'Instructions',
		kind: 'text',
		placeholder: 'Speak in a cheerful tone.',
		group: 'output'
	}),
	extraBody('speech')
];

const TRANSCRIPTION: readonly ParamSpec[] = [
	spec('transcription', {
		key: 'language',
		label: 'Language',
		kind: 'text',
		placeholder: 'en',
		group: 'output',
		check: (v) =>
			/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(String(v))
				? undefined
				: { key: 'media.error.language', vars: { value: String(v) } }
	}),
	spec('transcription', {
		key: 'prompt',
		label: 'Prompt',
		kind: 'text',
		group: 'output'
	}),
	spec('transcription', {
		key: 'response_format',
		label: 'Response format',
		kind: 'select',
		options: TRANSCRIPT_FORMATS,
		apiDefault: 'json',
		group: 'output'
	}),
	spec('transcription', {
		key: 'temperature',
		label: 'Temperature',
		kind: 'number',
		min: 0,
		max: 1,
		apiDefault: '0',
		group: 'sampling'
	}),
	spec('transcription', {
		key: 'timestamp_granularities',
		label: 'Timestamp granularities',
		kind: 'select',
		options: ['segment', 'word', 'word,segment'],
		apiDefault: 'segment',
		group: 'output',
		check: (_v, values) =>
			values.response_format === 'verbose_json' ? undefined : { key: 'media.error.granularities' },
		apply: (body, v) => {
			body.timestamp_granularities = String(v).split(',');
		}
	}),
	spec('transcription', {
		key: 'stream',
		label: 'Stream',
		kind: 'boolean',
		apiDefault: 'false',
		group: 'output'
	}),
	extraBody('transcription')
];

const SPECS: Record<MediaMode, readonly ParamSpec[]> = {
	images: IMAGES,
	speech: SPEECH,
	transcription: TRANSCRIPTION
};

/** The parameters of `mode`, in the order the panel shows them. */
export function mediaParamSpecs(mode: MediaMode): readonly ParamSpec[] {
	return SPECS[mode];
}

/**
 * Raw values → body fields of `mode`; fields with a `sentDefault` get it when unset. Unset values
 * are not sent; every problem is keyed by its control. `extra_body` is merged last and may
 * override anything but `model` and the input (`prompt`, `input`, `file`).
 */
export function parseMediaParams(
	mode: MediaMode,
	values: ParamValues
): { fields: Record<string, unknown>; errors: Record<string, Message> } {
	const specs = SPECS[mode];
	const withDefaults: ParamValues = { ...values };
	for (const p of specs)
		if (p.sentDefault !== undefined && !String(values[p.key] ?? '').trim())
			withDefaults[p.key] = p.sentDefault;
	return applyParams(specs, withDefaults, withDefaults, ['model', 'prompt', 'input', 'file']);
}
