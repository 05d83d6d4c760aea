import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { decodedPath } from './url-path.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/**
 * Serves the built web app. Hashed assets are cached forever; every other path
 * gets index.html (the app routes in the browser).
 */
export async function serveStatic(webDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built. Run `npm start` (it builds web/ before starting the server).\n');
    return;
  }
  const path = decodedPath(req.url);
  if (path === null) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('bad percent-encoding in the path\n');
    return;
  }
  const file = normalize(join(webDir, path));
  let target = index;
  if (file.startsWith(webDir + sep) && existsSync(file) && (await stat(file)).isFile()) target = file;
  const immutable = target !== index && path.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(target).pipe(res);
}
