// Malformed and hostile input against a real server on 127.0.0.1, sent as raw bytes: none of it
// may take the process down, and the credential must be useless to anything but this server.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { method } from '../../../src-shared/contract/define';
import { createClient } from '../../../src-shared/rpc/client';
import { createDispatcher } from '../../../src-shared/rpc/dispatcher';
import { socketTransport, type SocketLike } from '../../../src-shared/rpc/socket-transport';
import { tempDir } from '../../testing/temp';
import { MAX_FRAME_BYTES, startHttpServer, type RunningServer } from './server';
import { drain, jsonPayload, rawExchange, rawWebSocket, statusOf, wsFrame } from './test-wire';

const contract = { 'math.add': method(z.object({ a: z.number(), b: z.number() })).returns<{ sum: number }>() };

async function start(extra: { token?: string } = {}): Promise<RunningServer> {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Winnow</title>');
  const dispatcher = createDispatcher(contract, { 'math.add': ({ a, b }) => ({ sum: a + b }) });
  return startHttpServer({ dispatcher, staticDir: dir, ...extra });
}

async function openSocket(s: RunningServer, path = `/rpc?token=${s.token}`, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}${path}`, { headers });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('unexpected-response', () => reject(new Error('refused'))); ws.once('error', reject); });
  return ws;
}

/** The server still answers an authenticated call on a fresh connection. */
async function stillServes(s: RunningServer): Promise<void> {
  const ws = await openSocket(s);
  const client = createClient(contract, socketTransport(ws as unknown as SocketLike));
  assert.deepEqual(await client.call('math.add', { a: 2, b: 40 }, { timeoutMs: 5000 }), { sum: 42 });
  client.close();
}

const get = (s: RunningServer, target: string, extra = '') => rawExchange(s.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n${extra}Connection: close\r\n\r\n`);

describe('request lines and paths', async () => {
  const s = await start();
  after(() => s.close());

  it('answers a 4xx to request targets that are not URLs or not paths, also as an upgrade', async () => {
    const is4xx = (answer: string) => statusOf(answer) >= 400 && statusOf(answer) < 500;
    for (const target of ['//[', `//[?token=${s.token}`, '*', 'http://evil.example/', '[']) {
      assert.ok(is4xx(await get(s, target)), target);
    }
    const upgrade = `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n`;
    for (const target of ['//[', `//[?token=${s.token}`, '*', `http://127.0.0.1:${s.port}/rpc?token=${s.token}`]) {
      assert.ok(is4xx(await rawExchange(s.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n${upgrade}\r\n`)), `upgrade ${target}`);
    }
    await stillServes(s);
  });

  it('answers 400 to malformed percent-encoding in a file path', async () => {
    assert.equal(statusOf(await get(s, `/%E0%A4%A?token=${s.token}`)), 400);
    assert.equal(statusOf(await get(s, '/%')), 400);
    assert.equal(statusOf(await get(s, '/a%00b')), 400);
    await stillServes(s);
  });

  it('serves the page, and nothing outside its folder', async () => {
    assert.equal(statusOf(await get(s, '/')), 200);
    assert.equal(statusOf(await get(s, '/nope.js')), 404);
    assert.notEqual(statusOf(await get(s, '/..%2f..%2fetc%2fpasswd')), 200);
  });
});

describe('WebSocket frames', async () => {
  const s = await start();
  after(() => s.close());

  it('drops envelopes that are JSON null or not objects, and keeps serving the connection', async () => {
    const ws = await openSocket(s);
    const client = createClient(contract, socketTransport(ws as unknown as SocketLike));
    for (const json of ['null', '0', '"req"', '[]', '{}', '{"t":"req"}', '{"t":"req","id":"1","method":"math.add"}', '{"t":"cancel","id":{}}']) ws.send(jsonPayload(json));
    assert.deepEqual(await client.call('math.add', { a: 1, b: 2 }, { timeoutMs: 5000 }), { sum: 3 });
    client.close();
  });

  it('closes the connection on protocol errors without dying: reserved opcode, RSV bits, unmasked, oversize', async () => {
    const frames = [
      wsFrame(0x3, new Uint8Array(4)),
      wsFrame(0xb, new Uint8Array(4)),
      wsFrame(0x2, new Uint8Array(4), { rsv: 7 }),
      wsFrame(0x2, new Uint8Array(4), { mask: false }),
      wsFrame(0x2, new Uint8Array(16), { declaredLength: MAX_FRAME_BYTES + 1 }),
      wsFrame(0x9, new Uint8Array(200)), // a control frame over 125 bytes
      wsFrame(0x1, jsonPayload('null')), // text frames are refused: Winnow speaks binary
    ];
    for (const f of frames) {
      const sock = await rawWebSocket(s.port, `/rpc?token=${s.token}`);
      sock.write(f);
      await drain(sock);
    }
    await stillServes(s);
  });

  it('reads frames up to the largest legitimate request: an export of 2,000,000 selected ids', async () => {
    const ids = Array.from({ length: 2_000_000 }, (_, i) => 9_000_000 + i);
    const json = JSON.stringify({ t: 'req', id: 1, method: 'export.start', args: { source: { kind: 'selection', ids }, out: '/x' } });
    assert.ok(jsonPayload(json).length < MAX_FRAME_BYTES, `${jsonPayload(json).length} bytes`);
  });
});

describe('the credential', async () => {
  const s = await start();
  after(() => s.close());

  it('travels in the address fragment, which browsers never send to any server', () => {
    assert.equal(s.url, `http://127.0.0.1:${s.port}/#token=${s.token}`);
  });

  it('is never set as a cookie (browsers would send it to every port on 127.0.0.1)', async () => {
    for (const target of ['/', `/?token=${s.token}`, `/.//evil.example/?token=${s.token}`]) {
      assert.doesNotMatch(await get(s, target), /set-cookie/i, target);
    }
  });

  it('does not redirect anywhere, so no address can send the browser off-site', async () => {
    for (const target of [`/.//evil.example/?token=${s.token}`, `//evil.example/?token=${s.token}`, `/\\evil.example/?token=${s.token}`]) {
      const answer = await get(s, target);
      assert.doesNotMatch(answer, /^location:/im, target);
      assert.ok(statusOf(answer) < 300 || statusOf(answer) >= 400, `${target}: ${answer.split('\r\n')[0]}`);
    }
  });

  it('a cookie alone no longer opens the socket; the token must be presented', async () => {
    await assert.rejects(openSocket(s, '/rpc', { cookie: `winnow_token=${s.token}` }));
    await assert.rejects(openSocket(s, '/rpc?token=wrong'));
    await assert.rejects(openSocket(s, `/rpc?token=${s.token}`, { origin: 'http://127.0.0.1:1' }));
    await stillServes(s);
  });

  it('every answer forbids framing the page', async () => {
    for (const target of ['/', '/nope', '/%', '//[']) {
      const answer = await get(s, target);
      assert.match(answer, /^content-security-policy: frame-ancestors 'none'/im, target);
      assert.match(answer, /^x-frame-options: DENY/im, target);
    }
  });

  it('a wrong Host header is refused (DNS rebinding)', async () => {
    const answer = await rawExchange(s.port, 'GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(answer), 403);
  });

  it('a token given at start-up must be long enough and URL-safe', async () => {
    await assert.rejects(start({ token: 'short' }), /at least 16/);
    await assert.rejects(start({ token: 'a'.repeat(20) + '#&x' }), /letters, digits/);
    const ok = await start({ token: 'A-long_enough.token~1' });
    await stillServes(ok);
    await ok.close();
  });
});
