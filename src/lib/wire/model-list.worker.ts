/** Parses a big `/models` body off the page's thread: 200,000 ids take seconds to sort. */
import { parseModelList } from './model-list.ts';

// One string, one per line: the page copies it at once, where 200,000 strings cost a long task.
self.onmessage = (e: MessageEvent<string>) =>
	self.postMessage(parseModelList(e.data)?.join('\n') ?? null);
