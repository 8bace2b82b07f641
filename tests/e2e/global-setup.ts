import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startStatic } from './static-server.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		appUrl: string;
	}
}

/** One static server for every journey: the built app under /playground/. */
export default async function setup(project: TestProject) {
	// DIST_DIR: another build to drive (e.g. `vite build --outDir /tmp/x`), so parallel runs don't clash.
	const dist = process.env.DIST_DIR || 'dist';
	if (!existsSync(`${dist}/index.html`))
		throw new Error(`${dist}/index.html is missing: run \`npm run test:e2e\` (it builds first).`);
	const server = await startStatic({ '/playground/': dist });
	project.provide('appUrl', `${server.url}/playground/`);
	return () => server.close();
}
