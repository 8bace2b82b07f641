import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import * as markdown from './lib/markdown/index.ts';
import * as chat from './lib/wire/chat.ts';
import * as parser from 'eventsource-parser';
import * as db from './lib/db/schema.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
// Answers render synchronously: their sanitiser first (at once where the browser has one).
await markdown.sanitizerReady();
mount(App, { target });

// Test builds only (`vite build --mode e2e`, used by `npm run test:e2e` and `npm run bench`): the
// modules as the app uses them, so the journeys and the bench measure the real thing in the real
// page (with the page's DOMPurify and IndexedDB). The app imports all four statically already, so
// these are the same module instances; in any other build the branch and the namespaces are
// dropped and `window.__switchboard` does not exist. The getters stay async for the callers.
if (import.meta.env.MODE === 'e2e') {
	Object.defineProperty(window, '__switchboard', {
		value: {
			markdown: async () => markdown,
			chat: async () => chat,
			parser: async () => parser,
			db: async () => db
		}
	});
}
