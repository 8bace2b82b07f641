import type { MessageKey } from '../i18n/index.ts';
import type { Message } from '../util/message.ts';
import type { Mode } from '../wire/types.ts';

/** What the composer calls its box and button for the columns' modes. */
export interface ComposerWords {
	label: MessageKey;
	placeholder: Message;
	hint: MessageKey;
	send: MessageKey;
}

const SINGLE: Record<Exclude<Mode, 'chat'>, Omit<ComposerWords, 'hint'>> = {
	images: {
		label: 'modes.prompt',
		placeholder: { key: 'modes.placeholder.images' },
		send: 'modes.generate'
	},
	speech: {
		label: 'modes.text',
		placeholder: { key: 'modes.placeholder.speech' },
		send: 'modes.speak'
	},
	transcription: {
		// Not `Prompt`: the Parameters panel has a `Prompt` field, which this box fills in.
		label: 'modes.transcriptionPrompt',
		placeholder: { key: 'modes.placeholder.transcription' },
		send: 'modes.transcribe'
	}
};

/**
 * Every column in one media mode: that mode's words (`Prompt` and `Generate` for images).
 * Chat, or mixed modes: `Message` and `Send`, and mixed modes say each column answers in its own.
 */
export function composerWords(modes: readonly Mode[], columns: number): ComposerWords {
	const [only, ...others] = modes;
	if (only && only !== 'chat' && others.length === 0)
		return { ...SINGLE[only], hint: 'composer.hint' };
	return {
		label: 'composer.message',
		placeholder:
			modes.length > 1
				? { key: 'modes.placeholder.mixed' }
				: columns > 1
					? { key: 'composer.placeholderMany', vars: { count: columns } }
					: { key: 'composer.placeholder' },
		hint: modes.length > 1 ? 'modes.hint.mixed' : 'composer.hint',
		send: 'composer.send'
	};
}
