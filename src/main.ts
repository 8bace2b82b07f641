import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });

// For the browser tests and `npm run bench`: modules as the app uses them, loaded on demand,
// so they measure the real thing in the real page (with the page's DOMPurify and IndexedDB).
Object.defineProperty(window, '__switchboard', {
	value: {
		markdown: () => import('./lib/markdown/index.ts'),
		chat: () => import('./lib/wire/chat.ts'),
		parser: () => import('eventsource-parser'),
		db: () => import('./lib/db/schema.ts')
	}
});
