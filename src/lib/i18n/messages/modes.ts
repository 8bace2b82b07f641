import { english } from '../area.ts';

/** Strings of the modes (images, speech, transcription): the Mode control, composer, results. */
export const modes = english({
	en: {
		'mode.label': 'Mode',
		'mode.chat': 'Chat',
		'mode.images': 'Images',
		'mode.speech': 'Speech',
		'mode.transcription': 'Transcription',
		'mode.params': '{mode} parameters',
		'modes.prompt': 'Prompt',
		'modes.transcriptionPrompt': 'Transcription prompt',
		'modes.text': 'Text',
		'modes.audioFile': 'Audio file',
		'modes.chooseFile': 'Choose audio',
		'modes.removeFile': 'Remove audio file',
		'modes.record': 'Record',
		'modes.stopRecording': 'Stop recording',
		'modes.recording': 'Recording… {seconds} s',
		'modes.micRefused': 'The microphone could not be used: {detail}',
		'modes.sentDefault': 'sent: {value}',
		'modes.generate': 'Generate',
		'modes.speak': 'Speak',
		'modes.transcribe': 'Transcribe',
		'modes.placeholder.images': 'Describe the image… (Ctrl/Cmd+Enter generates, Esc stops)',
		'modes.placeholder.speech': 'Text to speak… (Ctrl/Cmd+Enter speaks, Esc stops)',
		'modes.placeholder.transcription':
			'Optional prompt: names, spelling or style to guide the transcript',
		'modes.placeholder.mixed': 'One prompt for every column, each in its own mode…',
		'modes.hint.mixed':
			'Mixed modes: this prompt goes to every column, and each answers in its own mode · Ctrl/Cmd+Enter sends',
		'modes.error.noMessage': 'Type a message for the chat columns.',
		'modes.error.notStored':
			'The result arrived but this browser refused to store it (storage full?).',
		'result.images': 'Images',
		'result.image': 'Generated image {n}',
		'result.openImage': 'Open image {n} in a new tab',
		'result.urlNote': 'The server returned a link; it is not loaded until you open it.',
		'result.revisedPrompt': 'Revised prompt',
		'result.noImage': 'Image {n} could not be shown.',
		'result.download': 'Download',
		'result.downloadImage': 'Download image {n}',
		'result.working.images': 'Generating…',
		'result.working.speech': 'Speaking…',
		'result.working.transcription': 'Transcribing…',
		'result.transcript': 'Transcript',
		'result.language': 'Language: {language}',
		'result.duration': '{seconds} s of audio',
		'result.sentFile': 'Audio file {name}, {size}',
		'result.fileMissing': 'Audio file {name} (no longer stored)'
	}
});
