import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte.ts';

const APP = Symbol('app');

/** The one app state, given to every component through context rather than imports. */
export function setApp(app: AppState): AppState {
	return setContext(APP, app);
}

export function getApp(): AppState {
	const app = getContext<AppState | undefined>(APP);
	if (!app) throw new Error('getApp() called outside <App>');
	return app;
}
