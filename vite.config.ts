import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
	// Relative asset URLs: the build works from any path of any static host, e.g. /playground/.
	base: './',
	plugins: [svelte()],
	build: {
		target: 'es2022',
		sourcemap: false,
		// Rolldown's "plugins took N% of the build" advice depends on the machine's load, not on the
		// code: on a busy 2-core runner it comes and goes. Off, so a clean build prints nothing.
		rolldownOptions: { checks: { bundlerTimings: false } }
	},
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.e2e.ts'],
					environment: 'node',
					globalSetup: ['tests/e2e/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 60_000,
					// Chromium instances are heavy on a 2-core machine: one file at a time.
					fileParallelism: false
				}
			}
		]
	}
});
