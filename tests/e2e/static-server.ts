/** Serves the built site under a sub-path, as any static host would: proves relative URLs work. */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.json': 'application/json',
	'.png': 'image/png',
	'.woff2': 'font/woff2'
};

export async function startStatic(
	mounts: Record<string, string>
): Promise<{ url: string; close(): Promise<void> }> {
	const server = createServer(async (req, res) => {
		const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
		const mount = Object.keys(mounts)
			.sort((a, b) => b.length - a.length)
			.find((m) => path.startsWith(m));
		if (!mount) {
			res.writeHead(302, { location: Object.keys(mounts)[0] ?? '/' }).end();
			return;
		}
		const dir = mounts[mount] ?? '';
		let file = normalize(join(dir, path.slice(mount.length)));
		if (!file.startsWith(normalize(dir))) return void res.writeHead(403).end();
		try {
			if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
			const body = await readFile(file);
			res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
			res.end(body);
		} catch {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((r) => server.close(() => r()))
	};
}
