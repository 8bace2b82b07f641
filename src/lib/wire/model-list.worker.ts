/** Parses a big `/models` body off the page's thread: 200,000 ids take seconds to sort. */
import { parseModelList } from './model-list.ts';

self.onmessage = (e: MessageEvent<string>) => self.postMessage(parseModelList(e.data) ?? null);
