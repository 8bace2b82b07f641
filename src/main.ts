import { mount } from 'svelte';
import App from './App.svelte';
import { loadLocale, pickLocale } from './lib/i18n/index.ts';
import './app.css';
import * as chat from './lib/wire/chat.ts';
import * as parser from 'eventsource-parser';
import * as db from './lib/db/schema.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
// A Chinese browser's strings load before the first paint: no English flash. (A saved language
// other than the browser's is applied once storage is read, as soon as its strings are loaded.)
// Not a top-level await: chunks loaded later import from this one, which must not wait on them.
void loadLocale(pickLocale(navigator.languages)).then(() => mount(App, { target }));

// Test builds only (`vite build --mode e2e`, used by `npm run test:e2e` and `npm run bench`): the
// modules as the app uses them, so the journeys and the bench measure the real thing in the real
// page (with the page's DOMPurify and IndexedDB). They are the app's own module instances (the
// markdown renderer is the chunk answers load on demand); in any other build the branch, the
// namespaces and the import are dropped and `window.__switchboard` does not exist.
if (import.meta.env.MODE === 'e2e') {
	Object.defineProperty(window, '__switchboard', {
		value: {
			markdown: () =>
				import('./lib/markdown/index.ts').then(async (m) => {
					await m.sanitizerReady();
					return m;
				}),
			chat: async () => chat,
			parser: async () => parser,
			db: async () => db
		}
	});
}
