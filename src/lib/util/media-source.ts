/**
 * Feeds an audio element from a stream as it arrives (Media Source Extensions), so speech plays
 * while it downloads. Returns a function that detaches it.
 */
export function streamToMediaSource(
	el: HTMLAudioElement,
	stream: ReadableStream<Uint8Array>,
	type: string
): () => void {
	const source = new MediaSource();
	const url = URL.createObjectURL(source);
	el.src = url;
	const reader = stream.getReader();
	let gone = false;
	source.addEventListener(
		'sourceopen',
		() => {
			const buffer = source.addSourceBuffer(type);
			const next = (): void => {
				reader.read().then(
					({ done, value }) => {
						if (gone) return;
						if (done) {
							if (source.readyState === 'open') source.endOfStream();
							return;
						}
						buffer.addEventListener('updateend', next, { once: true });
						// A copy: appendBuffer takes only bytes of a plain ArrayBuffer.
						buffer.appendBuffer(value.slice());
					},
					// Stopped or failed: the result row says why; the player keeps what it has.
					() => undefined
				);
			};
			next();
		},
		{ once: true }
	);
	return () => {
		gone = true;
		void reader.cancel().catch(() => undefined);
		URL.revokeObjectURL(url);
	};
}

/**
 * Whether audio of `type` can play while it downloads: Media Source Extensions take it (mp3 and
 * aac in Chromium). Other formats (wav, pcm) play once complete, from the stored Blob.
 */
export function canStream(type: string): boolean {
	return typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(type);
}
