// Serves the built renderer. Paths are resolved inside the root only. The files are the same
// for every user and hold no data, so they need no token (the data is behind the WebSocket).
import { createReadStream, statSync, type Stats } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.wasm': 'application/wasm', '.ico': 'image/x-icon',
};

export function serveStatic(rootDir: string, pathname: string, res: ServerResponse): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return end(res, 400, 'bad request: malformed percent-encoding in the path');
  }
  if (decoded.includes('\0')) return end(res, 400, 'bad request: NUL in the path');
  const root = resolve(rootDir);
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, rel === '' || rel === '.' ? 'index.html' : rel);
  if (!file.startsWith(root + sep)) return end(res, 403, 'forbidden');
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    return end(res, 404, 'not found');
  }
  if (!st.isFile()) return end(res, 404, 'not found');
  const stream = createReadStream(file);
  // A file that vanishes or cannot be read mid-way ends this response, not the process.
  stream.on('error', () => res.destroy());
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-cache' });
  stream.pipe(res);
}

export function end(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
