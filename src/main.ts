import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });

// For the browser tests and benchmarks: the renderer as the app uses it, with the page's DOMPurify.
Object.defineProperty(window, '__switchboard', {
	value: { markdown: () => import('./lib/markdown/index.ts') }
});
