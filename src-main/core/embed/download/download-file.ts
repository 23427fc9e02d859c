// Streams one file to disk, resumable and verified: bytes go to DEST.part, an interrupted
// download continues from where it stopped with an HTTP Range request, and DEST appears (by an
// atomic rename) only once the SHA-256 of the whole file matches.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DownloadError } from './errors';

export interface DownloadOptions {
  /** Lowercase or uppercase hex SHA-256 of the whole file. */
  sha256: string;
  dest: string;
  /** The file's size when known: a server offering another size fails before the transfer. */
  sizeBytes?: number;
  signal?: AbortSignal;
  /** `total` is the whole file's size, or undefined when neither the server nor the caller knows it. */
  onProgress?: (received: number, total: number | undefined) => void;
  fetchImpl?: typeof fetch;
  /** Give up when no byte arrives for this long (default 60 s); the .part file is kept. */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** Bytes already on disk that this run continued from (0 when it started from scratch). */
  resumedFrom: number;
}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Plain http is only for servers on this machine (tests, a local mirror); hostname keeps IPv6 brackets.
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const HINTS: Record<string, string> = {
  ENOTFOUND: 'host not found; is this machine offline?',
  EAI_AGAIN: 'name lookup failed; is this machine offline?',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
};

/** Signed CDN URLs carry long query strings; messages show where, not the token. */
const shown = (url: URL): string => `${url.origin}${url.pathname}`;

export function checkDownloadUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError('bad-url', `not a URL: ${String(raw)}`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) return url;
  throw new DownloadError('bad-url', `refusing to download ${shown(url)}: only https URLs are allowed (plain http only from this machine)`);
}

export async function downloadFile(url: string, opts: DownloadOptions): Promise<DownloadResult> {
  const first = checkDownloadUrl(url);
  const want = opts.sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(want)) throw new RangeError(`downloadFile: "${opts.sha256}" is not a hex SHA-256`);
  if (opts.signal?.aborted) throw new DownloadError('aborted', `download of ${shown(first)} cancelled`);
  await disk(`create ${dirname(opts.dest)}`, () => mkdir(dirname(opts.dest), { recursive: true }));
  try {
    return await attempt(first, want, opts);
  } catch (err) {
    // A part left by an earlier run may hold another version's bytes: one fresh try settles it.
    if (!(err instanceof MismatchError && err.resumed)) throw err;
    return attempt(first, want, opts);
  }
}

class MismatchError extends DownloadError {
  constructor(message: string, readonly resumed: boolean) {
    super('hash-mismatch', message);
  }
}

async function attempt(first: URL, want: string, opts: DownloadOptions): Promise<DownloadResult> {
  const part = `${opts.dest}.part`;
  let have = await sizeOf(part);
  if (have > 0 && opts.sizeBytes !== undefined && have >= opts.sizeBytes) {
    // A run that stopped after the last byte but before the check; or a part that is too long.
    if (have === opts.sizeBytes) {
      const hash = createHash('sha256');
      await hashPrefix(part, have, hash);
      return finish(part, opts.dest, hash, want, have, have);
    }
    await removePart(part);
    have = 0;
  }

  const transfer = new Transfer(opts.signal, opts.idleTimeoutMs ?? 60_000, opts.fetchImpl ?? fetch, first);
  try {
    let res = await transfer.get(have);
    let resumedFrom = 0;
    let total: number | undefined;
    if (have > 0) {
      const range = res.status === 206 ? contentRange(res.headers.get('content-range')) : undefined;
      if (range && range.start === have) {
        resumedFrom = have;
        total = range.total;
      } else if (res.status === 206 || res.status === 416) {
        // Not the range asked for, or the server cannot continue this part: start over.
        await discard(res);
        res = await transfer.get(0);
      }
      // A 200 is the whole file: the server ignored the Range header, so the part is overwritten.
    }
    if (!resumedFrom) {
      if (res.status !== 200) {
        await discard(res);
        throw new DownloadError('http', `${shown(transfer.url)} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const length = res.headers.get('content-length');
      total = length !== null && /^\d+$/.test(length) && !res.headers.get('content-encoding') ? Number(length) : undefined;
    }
    total ??= opts.sizeBytes;
    if (opts.sizeBytes !== undefined && total !== opts.sizeBytes) {
      await discard(res);
      if (resumedFrom) await removePart(part); // a prefix of some other file
      throw new DownloadError('http', `${shown(transfer.url)} offers ${total} bytes, but the expected file has ${opts.sizeBytes}`);
    }

    const hash = createHash('sha256');
    if (resumedFrom) await hashPrefix(part, resumedFrom, hash);
    const fh = await disk(`open ${part}`, () => open(part, resumedFrom ? 'a' : 'w'));
    let received = resumedFrom;
    try {
      transfer.touch();
      opts.onProgress?.(received, total);
      if (!res.body) throw new DownloadError('http', `${shown(transfer.url)} sent no body`);
      for await (const chunk of res.body) {
        if (total !== undefined && received + chunk.length > total) {
          throw new DownloadError('network', `${shown(transfer.url)} sent more than the ${total} bytes it announced`);
        }
        hash.update(chunk);
        await write(fh, chunk, part);
        received += chunk.length;
        transfer.touch();
        opts.onProgress?.(received, total);
      }
      if (total !== undefined && received < total) {
        throw new DownloadError('network', `connection closed after ${received} of ${total} bytes of ${shown(transfer.url)}; run again to resume`);
      }
      await disk(`write ${part}`, () => fh.sync());
    } catch (err) {
      throw transfer.failure(err, received, total);
    } finally {
      await fh.close().catch(() => undefined);
    }
    return await finish(part, opts.dest, hash, want, received, resumedFrom);
  } finally {
    transfer.dispose();
  }
}

/** One download's requests: redirects, the caller's signal, and a timer for a stalled connection. */
class Transfer {
  readonly controller = new AbortController();
  url: URL;
  private stalled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.controller.abort();

  constructor(private readonly signal: AbortSignal | undefined, private readonly idleMs: number, private readonly fetchImpl: typeof fetch, private readonly first: URL) {
    this.url = first;
    if (signal?.aborted) this.controller.abort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
    this.touch();
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort();
    }, this.idleMs);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /** GET from `offset` on, following redirects by hand so every hop is checked and keeps the Range header. */
  async get(offset: number): Promise<Response> {
    this.url = this.first; // signed redirect targets expire; every request starts at the published URL
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'winnow' };
      if (offset > 0) headers.range = `bytes=${offset}-`;
      let res: Response;
      try {
        res = await this.fetchImpl(this.url, { headers, redirect: 'manual', signal: this.controller.signal });
      } catch (err) {
        throw this.failure(err, offset, undefined, false);
      }
      this.touch();
      if (!REDIRECTS.has(res.status)) return res;
      await discard(res);
      const location = res.headers.get('location');
      if (!location) throw new DownloadError('http', `${shown(this.url)} answered HTTP ${res.status} without saying where to`);
      if (hop >= MAX_REDIRECTS) throw new DownloadError('http', `more than ${MAX_REDIRECTS} redirects from ${shown(this.url)}`);
      const next = checkDownloadUrl(new URL(location, this.url));
      if (this.url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new DownloadError('bad-url', `refusing the redirect from ${shown(this.url)} to ${shown(next)}: it leaves https`);
      }
      this.url = next;
    }
  }

  /** What went wrong, as a DownloadError: the caller's cancel, a stall, or a broken connection. */
  failure(err: unknown, received: number, total: number | undefined, connected = true): DownloadError {
    if (err instanceof DownloadError) return err;
    const where = `${received}${total !== undefined ? ` of ${total}` : ''} bytes`;
    if (this.signal?.aborted) return new DownloadError('aborted', `download of ${shown(this.url)} cancelled after ${where}`, { cause: err });
    if (this.stalled) return new DownloadError('network', `no data from ${shown(this.url)} for ${this.idleMs >= 1000 ? `${Math.round(this.idleMs / 1000)} s` : `${this.idleMs} ms`} (after ${where}); run again to resume`, { cause: err });
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code;
    const reason = code ? (HINTS[code] ? `${code}: ${HINTS[code]}` : code) : cause?.message ?? (err instanceof Error ? err.message : String(err));
    const message = connected && received > 0
      ? `the connection to ${shown(this.url)} broke after ${where} (${reason}); run again to resume`
      : `cannot download ${shown(this.url)} (${reason})`;
    return new DownloadError('network', message, { cause: err });
  }
}

async function finish(part: string, dest: string, hash: Hash, want: string, bytes: number, resumedFrom: number): Promise<DownloadResult> {
  const got = hash.digest('hex');
  if (got !== want) {
    await removePart(part);
    throw new MismatchError(`the downloaded file has SHA-256 ${got}, not the expected ${want}; deleted it (the server may now hold a different version)`, resumedFrom > 0);
  }
  await disk(`move ${part} to ${dest}`, () => rename(part, dest));
  return { path: dest, bytes, sha256: got, resumedFrom };
}

function contentRange(header: string | null): { start: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  return m ? { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) } : undefined;
}

async function hashPrefix(file: string, bytes: number, hash: Hash): Promise<void> {
  await disk(`read ${file}`, async () => {
    for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) hash.update(chunk as Buffer);
  });
}

async function write(fh: FileHandle, chunk: Uint8Array, file: string): Promise<void> {
  for (let done = 0; done < chunk.length;) {
    const { bytesWritten } = await disk(`write ${file}`, () => fh.write(chunk, done));
    done += bytesWritten;
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function removePart(part: string): Promise<void> {
  await unlink(part).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new DownloadError('disk', `cannot delete ${part}: ${err.message}`, { cause: err });
  });
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

async function disk<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError('disk', `cannot ${what}: ${(err as Error).message}`, { cause: err });
  }
}
