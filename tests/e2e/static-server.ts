/**
 * Serves the built site under a sub-path, as any static host would: proves the build's relative
 * URLs work from any path. `/` redirects to the first mount; nothing outside a mount is served.
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.map': 'application/json',
	'.txt': 'text/plain; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.webp': 'image/webp',
	'.woff2': 'font/woff2',
	'.woff': 'font/woff',
	'.ttf': 'font/ttf',
	'.wasm': 'application/wasm'
};

export interface StaticServer {
	/** `http://127.0.0.1:PORT`, without the mount path. */
	url: string;
	close(): Promise<void>;
}

/** Resolves `rel` inside `root`, or undefined when it would step outside it. */
function inside(root: string, rel: string): string | undefined {
	const base = resolve(root);
	const file = resolve(base, `.${sep}${rel}`);
	return file === base || file.startsWith(base + sep) ? file : undefined;
}

/** `mounts`: URL prefix (ending in `/`) → folder. */
export async function startStatic(
	mounts: Record<string, string> = { '/playground/': 'dist' }
): Promise<StaticServer> {
	const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
	const server = createServer(async (req, res) => {
		let path: string;
		try {
			path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
		} catch {
			return void res.writeHead(400).end();
		}
		// `/` goes to the app, and `/playground` to `/playground/`, as static hosts do.
		const redirect = path === '/' ? Object.keys(mounts)[0] : mounts[`${path}/`] && `${path}/`;
		if (redirect) return void res.writeHead(302, { location: redirect }).end();
		const mount = prefixes.find((m) => path.startsWith(m));
		let file =
			mount === undefined ? undefined : inside(mounts[mount] ?? '', path.slice(mount.length));
		if (file === undefined) return void res.writeHead(404).end('not found');
		try {
			if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
			const body = await readFile(file);
			res.writeHead(200, {
				'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
				// A wrong type must fail here as it would on a real host.
				'x-content-type-options': 'nosniff'
			});
			res.end(req.method === 'HEAD' ? undefined : body);
		} catch {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			})
	};
}
