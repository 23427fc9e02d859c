// Fuzzes the browser-mode server over loopback: random request lines, headers and
// percent-encodings as raw bytes, and random WebSocket frames (random bytes, random JSON, wrong
// types) on an authenticated socket. Bounded in count and in time. Afterwards the server must
// still answer an authenticated call, and no answer may contain a file from outside its folder.
// The seed is printed; WINNOW_FUZZ_SEED=<n> replays a run.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { method } from '../../../src-shared/contract/define';
import { encodeEnvelope } from '../../../src-shared/rpc/binary-codec';
import { createClient } from '../../../src-shared/rpc/client';
import { createDispatcher } from '../../../src-shared/rpc/dispatcher';
import type { Envelope } from '../../../src-shared/rpc/envelope';
import { socketTransport, type SocketLike } from '../../../src-shared/rpc/socket-transport';
import { tempDir } from '../../testing/temp';
import { startHttpServer, type RunningServer } from './server';
import { drain, jsonPayload, rawExchange, rawWebSocket, wsFrame } from './test-wire';

const SEED = Number(process.env.WINNOW_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Wall-clock cap for each part; the counts below are reached first on an idle machine. */
const PART_BUDGET_MS = 6000;
const SECRET = 'winnow-fuzz-secret-7f3a';

const contract = {
  'math.add': method(z.object({ a: z.number(), b: z.number() })).returns<{ sum: number }>(),
  'data.sum': method(z.object({ values: z.instanceof(Float32Array) })).returns<{ sum: number }>(),
  'text.echo': method(z.object({ s: z.string().max(1000), tags: z.array(z.string()).max(10).optional() })).returns<{ s: string }>(),
};

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}
type Rng = ReturnType<typeof rng>;

const PATH_CHARS = ['/', '/', 'a', 'Z', '.', '..', '%', '%2e', '%2f', '%5c', '%00', '%E0%A4%A', '%C0%AF', '%ZZ', '%E2%82%AC', '[', ']', '@', ':', '\\', '?', '#', '&', '=', ';', '~', 'é', '\u202e', ' ', '\t', '*', '"', '<', 'index.html', 'secret.txt', '../', '//', '\u0000'];
const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH', 'BREW', 'get', '', 'G\u0000T', 'GET GET'];

function randomTarget(r: Rng, token: string): string {
  const prefix = r.pick(['/', '/', '//', '*', 'http://evil.example', `http://127.0.0.1/`, '', '/rpc', '/.//', '/%2e%2e/']);
  let t = prefix;
  for (let i = r.int(12); i > 0; i--) t += r.pick(PATH_CHARS);
  if (r.next() < 0.3) t += `?token=${r.next() < 0.5 ? token : r.pick(['', 'x', '%', token + 'x'])}`;
  if (r.next() < 0.05) t += 'A'.repeat(r.int(20_000));
  return t;
}

function randomHeaders(r: Rng, port: number, token: string): string {
  const lines: string[] = [];
  if (r.next() < 0.8) lines.push(`Host: ${r.pick([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', '', '[', `127.0.0.1:${port}\u0000`])}`);
  if (r.next() < 0.3) lines.push('Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Version: ${r.pick(['13', '8', 'x'])}`, `Sec-WebSocket-Key: ${r.pick(['dGhlIHNhbXBsZSBub25jZQ==', '', 'bad'])}`);
  if (r.next() < 0.2) lines.push(`Origin: ${r.pick([`http://127.0.0.1:${port}`, 'http://evil.example', 'null', ''])}`);
  if (r.next() < 0.2) lines.push(`Cookie: winnow_token=${token}`);
  if (r.next() < 0.15) lines.push(`Content-Length: ${r.pick(['0', '5', '-1', '99999999999', 'x', '1, 2'])}`);
  if (r.next() < 0.1) lines.push(`Transfer-Encoding: ${r.pick(['chunked', 'gzip', 'chunked, chunked', 'x'])}`);
  for (let i = r.int(4); i > 0; i--) {
    const name = Array.from({ length: 1 + r.int(12) }, () => String.fromCharCode(r.pick([33 + r.int(94), 32, 58, 0, 200]))).join('');
    const value = Array.from({ length: r.int(40) }, () => String.fromCharCode(r.int(256))).join('');
    lines.push(`${name}: ${value}`);
  }
  return lines.map((l) => l + r.pick(['\r\n', '\r\n', '\r\n', '\n', '\r'])).join('');
}

function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 3 ? 6 : 9);
  switch (k) {
    case 0: return null;
    case 1: return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, Number.MAX_SAFE_INTEGER]);
    case 2: return r.pick(['', 'req', 'res', 'math.add', '__proto__', 'constructor', 'x'.repeat(300), '\u0000', '\ud800']);
    case 3: return r.next() < 0.5;
    case 4: return { $bin: r.pick([0, 1, -1, '0', 1.5, 99]), $type: r.pick(['Uint8Array', 'Float32Array', 'ArrayBuffer', 'toString', '__proto__', 7, 'Float64Array']) };
    case 5: return r.pick([[], {}]);
    case 6: return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.pick(['t', 'id', 'method', 'args', 'ok', 'error', 'name', 'payload', 'a', 'b', 'values', 's', '__proto__', 'constructor'])] = randomJson(r, depth + 1);
      return o;
    }
  }
}

function randomEnvelope(r: Rng): unknown {
  const t = r.pick(['req', 'req', 'req', 'cancel', 'res', 'evt', 'nope', 7, null]);
  const e: Record<string, unknown> = { t };
  if (r.next() < 0.9) e.id = r.pick([r.int(1000), -1, '1', null, 1.5, 2 ** 60, {}]);
  if (r.next() < 0.9) e.method = r.pick(['math.add', 'data.sum', 'text.echo', 'nope', 'constructor', '__proto__', 'hasOwnProperty', 7, null, '']);
  if (r.next() < 0.9) e.args = r.next() < 0.5 ? randomJson(r) : { a: randomJson(r), b: r.int(10), values: randomJson(r), s: randomJson(r), tags: randomJson(r) };
  if (r.next() < 0.2) e.ok = randomJson(r);
  if (r.next() < 0.2) e.error = randomJson(r);
  return e;
}

/** Runs `task(i)` for i = 0.. with `width` at a time until `count` are done or time is up. */
async function pool(count: number, width: number, task: (i: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + PART_BUDGET_MS;
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count && Date.now() < deadline) {
      await task(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return done;
}

describe(`server fuzz (seed ${SEED})`, async () => {
  const dir = tempDir();
  const root = join(dir, 'renderer');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Winnow</title>');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  const dispatcher = createDispatcher(contract, {
    'math.add': ({ a, b }) => ({ sum: a + b }),
    'data.sum': ({ values }) => ({ sum: values.reduce((s, v) => s + v, 0) }),
    'text.echo': ({ s }) => ({ s }),
  });
  const s: RunningServer = await startHttpServer({ dispatcher, staticDir: root });
  after(() => s.close());

  async function assertStillServes(): Promise<void> {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/rpc?token=${s.token}`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const client = createClient(contract, socketTransport(ws as unknown as SocketLike));
    assert.deepEqual(await client.call('math.add', { a: 20, b: 22 }, { timeoutMs: 10_000 }), { sum: 42 });
    assert.deepEqual(await client.call('data.sum', { values: new Float32Array([1, 2, 3]) }, { timeoutMs: 10_000 }), { sum: 6 });
    client.close();
  }

  it('survives random request lines and headers, and never leaks a file from outside its folder', async (t) => {
    const r = rng(SEED);
    const done = await pool(2000, 16, async () => {
      const line = `${r.pick(METHODS)} ${randomTarget(r, s.token)} ${r.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/9.9', 'FOO', ''])}${r.pick(['\r\n', '\r\n', '\n'])}`;
      const body = r.next() < 0.2 ? Buffer.from(r.bytes(r.int(300))) : Buffer.alloc(0);
      const answer = await rawExchange(s.port, Buffer.concat([Buffer.from(line + randomHeaders(r, s.port, s.token) + '\r\n', 'latin1'), body]), 1500);
      assert.ok(!answer.includes(SECRET), `leaked the secret to: ${line}`);
    });
    t.diagnostic(`${done} requests`);
    assert.ok(done > 0);
    await assertStillServes();
  });

  it('survives random percent-encodings in paths, and serves nothing outside its folder', async (t) => {
    const r = rng(SEED + 1);
    const done = await pool(2000, 16, async () => {
      let path = '/';
      for (let i = 1 + r.int(10); i > 0; i--) {
        path += r.pick([
          `%${r.int(256).toString(16).padStart(2, '0')}`, `%${r.int(16).toString(16)}`, '%', '%%', `%${r.pick(['g', 'Z', ' '])}${r.int(10)}`,
          '..', '%2e%2e', '%2f', '%5c', '/', 'secret.txt', 'index.html', `%u${r.int(65536).toString(16)}`, String.fromCharCode(0x80 + r.int(128)),
        ]);
      }
      const answer = await rawExchange(s.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`, 1500);
      assert.ok(!answer.includes(SECRET), `leaked the secret to ${path}`);
    });
    t.diagnostic(`${done} paths`);
    assert.ok(done > 0);
    await assertStillServes();
  });

  it('survives random WebSocket frames: random bytes, random JSON, wrong types, protocol violations', async (t) => {
    let frames = 0;
    const r = rng(SEED + 2);
    const done = await pool(600, 12, async () => {
      const sock = await rawWebSocket(s.port, `/rpc?token=${s.token}`);
      const closed = drain(sock, 1500);
      // A handful of frames per connection; a protocol violation closes the connection early.
      for (let i = 1 + r.int(8); i > 0 && !sock.destroyed; i--) {
        const kind = r.int(10);
        let payload: Uint8Array;
        if (kind < 3) payload = jsonPayload(JSON.stringify(randomEnvelope(r)) ?? 'null');
        else if (kind < 5) payload = jsonPayload(JSON.stringify(randomJson(r)) ?? 'null');
        else if (kind < 7) {
          try {
            payload = encodeEnvelope(randomEnvelope(r) as Envelope);
          } catch {
            payload = r.bytes(8);
          }
          if (r.next() < 0.5 && payload.length > 4) payload[r.int(payload.length)] = r.int(256);
        } else payload = r.bytes(r.int(r.next() < 0.9 ? 64 : 70_000));
        const opcode = r.next() < 0.85 ? 2 : r.int(16);
        frames++;
        sock.write(wsFrame(opcode, payload, { fin: r.next() < 0.95, rsv: r.next() < 0.05 ? 1 + r.int(7) : 0, mask: r.next() < 0.97 }));
      }
      sock.end();
      await closed;
    });
    t.diagnostic(`${frames} frames on ${done} connections`);
    assert.ok(done > 0);
    await assertStillServes();
  });
});
