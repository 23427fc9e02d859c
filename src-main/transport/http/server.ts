// Browser-mode transport: HTTP for the renderer's files and one WebSocket per page for the
// contract. Dispatch is the shared dispatcher; this file only moves bytes. Every request and
// frame comes from outside the process: nothing here may throw out of a socket event.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../../../src-shared/rpc/dispatcher';
import { socketTransport, type SocketLike } from '../../../src-shared/rpc/socket-transport';
import { hostAllowed, newToken, originAllowed, requestUrl, tokenFrom, tokenMatches, tokenProblem } from './auth';
import { end, serveStatic } from './static-files';

/**
 * The largest WebSocket frame the server reads. The largest legitimate request is an export of
 * a 2,000,000-sample selection (the contract's cap), whose ids as JSON take about 16 MB; twice
 * that leaves room for long ids. Larger frames close the connection.
 */
export const MAX_FRAME_BYTES = 32 * 2 ** 20;

/** Sent with every HTTP answer: the page may not be framed, sniffed or leak its address. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface HttpServerOptions {
  dispatcher: Dispatcher;
  /** Built renderer folder; without one only the WebSocket endpoint is served. */
  staticDir?: string;
  port?: number;
  /** The launch token; a fresh random one when absent. See `tokenProblem` for the rules. */
  token?: string;
}

export interface RunningServer {
  /** The address to open: the token rides in the fragment, which browsers never send. */
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  if (opts.token !== undefined) {
    const problem = tokenProblem(opts.token);
    if (problem) throw new Error(problem);
  }
  const token = opts.token ?? newToken();
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = requestUrl(req);
    if (!url) return end(res, 400, 'bad request: the request target is not a path');
    if (!hostAllowed(req, port)) return end(res, 403, 'Winnow: wrong Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'method not allowed');
    if (!opts.staticDir) return end(res, 404, 'no renderer build');
    serveStatic(opts.staticDir, url.pathname, res);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A peer that resets mid-handshake must not raise an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const refuse = (status: string) => {
      // Destroy once the answer is flushed, as `ws` does for its own refusals.
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!url) return refuse('400 Bad Request');
    if (url.pathname !== '/rpc') return refuse('404 Not Found');
    if (!hostAllowed(req, port) || !originAllowed(req, port)) return refuse('403 Forbidden');
    if (!tokenMatches(tokenFrom(url), token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      // Protocol errors (reserved opcodes, oversize or unmasked frames) arrive here; `ws` then
      // closes the connection itself. Without a listener they would be thrown.
      ws.on('error', () => ws.terminate());
      opts.dispatcher.attach(socketTransport(ws as unknown as SocketLike, { onBadFrame: () => ws.close(1003, 'bad frame') }));
    });
  }

  const server = createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch {
      // Defence in depth: an unforeseen failure answers 500 instead of ending the process.
      if (!res.headersSent) end(res, 500, 'internal error');
      else res.destroy();
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      onUpgrade(req, socket, head);
    } catch {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
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
