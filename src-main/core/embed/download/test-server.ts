// A local HTTP server for the download tests: serves fixed bytes on 127.0.0.1, with or without
// Range support, and can break or stall a transfer part-way the way a real network does.
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface Route {
  body?: Buffer;
  /** Answer with this status and no body (e.g. 404). */
  status?: number;
  /** Honour Range requests (default true); false answers every request with the whole file. */
  ranges?: boolean;
  /** Answer a Range request with 206 for a range that starts at 0 instead of the one asked for. */
  wrongRange?: boolean;
  /** 302 to this location (relative or absolute). */
  redirect?: string;
  /** On the first `times` requests, send this many body bytes, then destroy the socket. */
  cutAt?: number;
  /** On the first `times` requests, send this many body bytes, then hold the connection silently. */
  stallAt?: number;
  times?: number;
}

export interface Served {
  path: string;
  range: string | undefined;
  status: number;
  /** Body bytes written to the socket. */
  sent: number;
}

export interface TestServer {
  url(path: string): string;
  requests: Served[];
  routes: Map<string, Route>;
}

/** Deterministic pseudo-random bytes, so a failure reproduces. */
export function fixtureBytes(size: number, seed = 'winnow'): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const requests: Served[] = [];
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const route = table.get(path);
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const served: Served = { path, range: req.headers.range, status: 0, sent: 0 };
    requests.push(served);
    if (!route) return reply(res, served, 404);
    if (route.redirect) {
      res.setHeader('location', route.redirect);
      return reply(res, served, 302);
    }
    if (route.status || !route.body) return reply(res, served, route.status ?? 500);
    const body = route.body;
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && route.ranges !== false) {
      start = route.wrongRange ? 0 : Number(m[1]);
      if (start >= body.length) {
        res.setHeader('content-range', `bytes */${body.length}`);
        return reply(res, served, 416);
      }
      res.setHeader('content-range', `bytes ${start}-${body.length - 1}/${body.length}`);
      served.status = 206;
    } else {
      served.status = 200;
    }
    res.writeHead(served.status, { 'content-length': String(body.length - start), 'accept-ranges': route.ranges === false ? 'none' : 'bytes' });
    const rest = body.subarray(start);
    const faulty = n <= (route.times ?? 1);
    const limit = faulty ? (route.cutAt ?? route.stallAt) : undefined;
    if (limit === undefined) {
      served.sent = rest.length;
      res.end(rest);
      return;
    }
    const chunk = rest.subarray(0, limit);
    served.sent = chunk.length;
    res.write(chunk, () => {
      if (route.cutAt !== undefined) res.socket?.destroy();
      // a stall just never writes again; the server's close ends it
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, requests, routes: table };
}

function reply(res: ServerResponse, served: Served, status: number): void {
  served.status = status;
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}
