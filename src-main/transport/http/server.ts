// Browser-mode transport: HTTP for the renderer's files and one WebSocket per page for the
// contract. Dispatch is the shared dispatcher; this file only moves bytes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Dispatcher } from '../../../src-shared/rpc/dispatcher';
import { socketTransport, type SocketLike } from '../../../src-shared/rpc/socket-transport';
import { hostAllowed, newToken, originAllowed, TOKEN_COOKIE, tokenFrom, tokenMatches } from './auth';
import { end, serveStatic } from './static-files';

export interface HttpServerOptions {
  dispatcher: Dispatcher;
  /** Built renderer folder; without one only the WebSocket endpoint is served. */
  staticDir?: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 2 ** 20 });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req, port)) return end(res, 403, 'Winnow: wrong Host header');
    const given = tokenFrom(req, url);
    if (!tokenMatches(given, token)) return end(res, 401, 'Winnow: missing or wrong access token. Open the address Winnow printed when it started.');
    if (url.searchParams.has('token')) {
      // Move the token from the address bar into a cookie so it is not left in history.
      res.writeHead(302, { location: url.pathname, 'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
      return res.end();
    }
    if (req.method !== 'GET') return end(res, 405, 'method not allowed');
    if (!opts.staticDir) return end(res, 404, 'no renderer build');
    serveStatic(opts.staticDir, url.pathname, res);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/rpc' || !hostAllowed(req, port) || !originAllowed(req, port) || !tokenMatches(tokenFrom(req, url), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      opts.dispatcher.attach(socketTransport(ws as unknown as SocketLike, { onBadFrame: () => ws.close(1003, 'bad frame') }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
