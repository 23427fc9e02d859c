// Who may use the browser-mode server. It listens on loopback only. The contract (all data) is
// reached only over the WebSocket, and only with the per-launch token. The token is handed to
// the page in the address's fragment (`/#token=…`), which browsers never send to any server,
// and the page keeps it in sessionStorage. There is no cookie: browsers send 127.0.0.1 cookies
// to every port, so any other local server the user opened would receive it.
// Host and Origin are checked so a web page in another tab cannot reach the server through DNS
// rebinding or a cross-site WebSocket.
import { timingSafeEqual, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A launch token chosen by the user (`--token`) must be at least this long. */
export const MIN_TOKEN_LENGTH = 16;

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Why a user-chosen token is unusable, or null. URL-safe characters only, so it needs no escaping. */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH) return `the access token must be at least ${MIN_TOKEN_LENGTH} characters long (it has ${token.length})`;
  if (token.length > 512) return 'the access token must be at most 512 characters long';
  if (!/^[A-Za-z0-9._~-]+$/.test(token)) return 'the access token may hold only letters, digits and . _ ~ -';
  return null;
}

/** The token a WebSocket request presents (`/rpc?token=…`); cookies are deliberately not read. */
export function tokenFrom(url: URL): string | null {
  return url.searchParams.get('token');
}

export function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers always send Origin on a WebSocket; tools (tests, scripts) send none and hold the token. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * The request target as a URL, or null when it is not an origin-form path (`*`, `http://x/`).
 * Node hands the raw target through, so parsing must never be assumed to succeed. The target is
 * appended to a fixed origin rather than resolved against it, so `//evil.example/x` stays a
 * path on this server instead of naming another host.
 */
export function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return null;
  try {
    const url = new URL(`http://127.0.0.1${target}`);
    return url.host === '127.0.0.1' ? url : null;
  } catch {
    return null;
  }
}
