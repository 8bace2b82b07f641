/** Recording from the microphone with MediaRecorder, for transcription. */

/** Whether this browser can record at all (the button is hidden where it cannot). */
export function canRecord(): boolean {
	return (
		typeof MediaRecorder !== 'undefined' &&
		typeof navigator !== 'undefined' &&
		typeof navigator.mediaDevices?.getUserMedia === 'function'
	);
}

/** A recording under way: `stop` resolves to the audio, and releases the microphone. */
export interface Recording {
	stop(): Promise<File>;
	/** Give up: the microphone is released and nothing is kept. */
	cancel(): void;
}

/** Asks for the microphone (the browser asks the user) and starts recording. */
export async function startRecording(): Promise<Recording> {
	const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
	const recorder = new MediaRecorder(stream);
	const chunks: Blob[] = [];
	recorder.ondataavailable = (e) => {
		if (e.data.size) chunks.push(e.data);
	};
	const release = () => stream.getTracks().forEach((t) => t.stop());
	const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
	recorder.start();
	return {
		async stop() {
			recorder.stop();
			await stopped;
			release();
			const type = recorder.mimeType.split(';')[0] || 'audio/webm';
			const ext = type.split('/')[1] ?? 'webm';
			return new File(chunks, `recording.${ext}`, { type });
		},
		cancel() {
			if (recorder.state !== 'inactive') recorder.stop();
			release();
		}
	};
}
