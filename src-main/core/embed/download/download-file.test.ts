import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../testing/temp';
import { downloadFile } from './download-file';
import { DownloadError, type DownloadErrorCode } from './errors';
import { fixtureBytes, sha256, startServer } from './test-server';

const SIZE = 1 << 20;
const body = fixtureBytes(SIZE);
const hash = sha256(body);

const rejectsWith = async (p: Promise<unknown>, code: DownloadErrorCode, message?: RegExp): Promise<DownloadError> => {
  let caught: unknown;
  await p.catch((err: unknown) => { caught = err; });
  assert.ok(caught instanceof DownloadError, `expected a DownloadError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
};

const noFetch: typeof fetch = () => {
  throw new Error('no request expected');
};

describe('downloadFile', () => {
  const dir = tempDir();
  let n = 0;
  const dest = () => join(dir, `model-${++n}.onnx`);

  it('downloads the whole file, reports progress, and moves it into place when the hash matches', async () => {
    const server = await startServer({ '/model.onnx': { body } });
    const to = dest();
    const seen: Array<[number, number | undefined]> = [];
    const r = await downloadFile(server.url('/model.onnx'), { sha256: hash.toUpperCase(), dest: to, onProgress: (got, total) => seen.push([got, total]) });
    assert.deepEqual(r, { path: to, bytes: SIZE, sha256: hash, resumedFrom: 0 });
    assert.ok(readFileSync(to).equals(body));
    assert.equal(existsSync(`${to}.part`), false);
    assert.deepEqual(seen.at(-1), [SIZE, SIZE]);
    assert.ok(seen.every(([, total]) => total === SIZE));
    assert.equal(server.requests[0]!.range, undefined);
  });

  it('keeps the part of a broken transfer and resumes it with a Range request', async () => {
    const server = await startServer({ '/model.onnx': { body, cutAt: SIZE / 2 } });
    const to = dest();
    await rejectsWith(downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to }), 'network', /run again to resume/);
    const kept = statSync(`${to}.part`).size;
    assert.ok(kept > 0 && kept <= SIZE / 2, `kept ${kept} bytes`);
    assert.equal(existsSync(to), false);

    const r = await downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.resumedFrom, kept);
    assert.equal(r.bytes, SIZE);
    assert.ok(readFileSync(to).equals(body));
    assert.equal(existsSync(`${to}.part`), false);
    const second = server.requests[1]!;
    assert.equal(second.range, `bytes=${kept}-`);
    assert.equal(second.status, 206);
    assert.equal(second.sent, SIZE - kept, 'only the missing bytes travel again');
  });

  it('starts over when the server ignores the Range header', async () => {
    const server = await startServer({ '/model.onnx': { body, ranges: false } });
    const to = dest();
    writeFileSync(`${to}.part`, Buffer.alloc(1000, 0xff));
    const r = await downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.resumedFrom, 0);
    assert.ok(readFileSync(to).equals(body));
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.range, 'bytes=1000-');
    assert.equal(server.requests[0]!.status, 200);
  });

  it('starts over when the server answers a Range request with another range', async () => {
    const server = await startServer({ '/model.onnx': { body, wrongRange: true } });
    const to = dest();
    writeFileSync(`${to}.part`, body.subarray(0, 5000));
    const r = await downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.resumedFrom, 0);
    assert.ok(readFileSync(to).equals(body));
    assert.deepEqual(server.requests.map((q) => [q.range, q.status]), [['bytes=5000-', 206], [undefined, 200]]);
  });

  it('replaces a stale part whose bytes belong to another file, once, after the hash fails', async () => {
    const server = await startServer({ '/model.onnx': { body } });
    const to = dest();
    writeFileSync(`${to}.part`, Buffer.alloc(4096, 0x42));
    const r = await downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.resumedFrom, 0);
    assert.ok(readFileSync(to).equals(body));
    assert.deepEqual(server.requests.map((q) => q.range), ['bytes=4096-', undefined]);
  });

  it('deletes the part and fails with hash-mismatch when the file is not the expected one', async () => {
    const server = await startServer({ '/model.onnx': { body } });
    const to = dest();
    const err = await rejectsWith(downloadFile(server.url('/model.onnx'), { sha256: 'ab'.repeat(32), dest: to }), 'hash-mismatch', new RegExp(hash));
    assert.match(err.message, /not the expected abab/);
    assert.equal(existsSync(`${to}.part`), false);
    assert.equal(existsSync(to), false);
  });

  it('fails with http on a 404 and writes nothing', async () => {
    const server = await startServer({});
    const to = dest();
    await rejectsWith(downloadFile(server.url('/missing.onnx'), { sha256: hash, dest: to }), 'http', /missing\.onnx answered HTTP 404/);
    assert.equal(existsSync(`${to}.part`), false);
  });

  it('fails with http before the transfer when the server offers another size', async () => {
    const server = await startServer({ '/model.onnx': { body } });
    const to = dest();
    await rejectsWith(downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to, sizeBytes: SIZE + 1 }), 'http', /offers 1048576 bytes, but the expected file has 1048577/);
    assert.equal(existsSync(`${to}.part`), false);
  });

  it('keeps the part when the caller aborts, and the next run resumes it', async () => {
    const server = await startServer({ '/model.onnx': { body, stallAt: 300_000 } });
    const to = dest();
    const ac = new AbortController();
    const onProgress = (got: number) => {
      if (got >= 300_000) ac.abort();
    };
    await rejectsWith(downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to, signal: ac.signal, onProgress }), 'aborted', /cancelled after 300000 of 1048576 bytes/);
    assert.equal(statSync(`${to}.part`).size, 300_000);

    const r = await downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.resumedFrom, 300_000);
    assert.ok(readFileSync(to).equals(body));
  });

  it('does not start when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(downloadFile('https://example.invalid/m.onnx', { sha256: hash, dest: dest(), signal: ac.signal, fetchImpl: noFetch }), 'aborted');
  });

  it('gives up on a stalled connection with network and keeps the part', async () => {
    const server = await startServer({ '/model.onnx': { body, stallAt: 100_000 } });
    const to = dest();
    await rejectsWith(downloadFile(server.url('/model.onnx'), { sha256: hash, dest: to, idleTimeoutMs: 300 }), 'network', /no data from .* for 300 ms \(after 100000 of 1048576 bytes\)/);
    assert.equal(statSync(`${to}.part`).size, 100_000);
  });

  it('follows redirects, relative and absolute', async () => {
    const server = await startServer({ '/model.onnx': { body } });
    server.routes.set('/resolve/main/model.onnx', { redirect: server.url('/cdn/abc?token=secret') });
    server.routes.set('/cdn/abc?token=secret', { redirect: '/model.onnx' });
    const to = dest();
    const r = await downloadFile(server.url('/resolve/main/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.bytes, SIZE);
    assert.deepEqual(server.requests.map((q) => q.status), [302, 302, 200]);
  });

  it('resumes through a redirect, sending the Range header to every hop', async () => {
    const server = await startServer({ '/cdn/model.onnx': { body, cutAt: 200_000 }, '/resolve/model.onnx': { redirect: '/cdn/model.onnx' } });
    const to = dest();
    await rejectsWith(downloadFile(server.url('/resolve/model.onnx'), { sha256: hash, dest: to }), 'network');
    const kept = statSync(`${to}.part`).size;
    const r = await downloadFile(server.url('/resolve/model.onnx'), { sha256: hash, dest: to });
    assert.equal(r.resumedFrom, kept);
    assert.ok(readFileSync(to).equals(body));
    assert.deepEqual(server.requests.slice(2).map((q) => [q.path, q.range, q.status]), [
      ['/resolve/model.onnx', `bytes=${kept}-`, 302],
      ['/cdn/model.onnx', `bytes=${kept}-`, 206],
    ]);
  });

  it('refuses URLs that are not https, except plain http to this machine', async () => {
    for (const url of ['http://example.com/model.onnx', 'ftp://example.com/model.onnx', 'file:///etc/passwd', 'not a url']) {
      await rejectsWith(downloadFile(url, { sha256: hash, dest: dest(), fetchImpl: noFetch }), 'bad-url');
    }
  });

  it('refuses a redirect that leaves https, without requesting it', async () => {
    const server = await startServer({ '/model.onnx': { body } });
    const calls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(null, { status: 302, headers: { location: server.url('/model.onnx') } });
    };
    await rejectsWith(downloadFile('https://models.example/m.onnx', { sha256: hash, dest: dest(), fetchImpl }), 'bad-url', /leaves https/);
    assert.deepEqual(calls, ['https://models.example/m.onnx']);
    assert.equal(server.requests.length, 0);

    server.routes.set('/away', { redirect: 'http://example.com/model.onnx' });
    await rejectsWith(downloadFile(server.url('/away'), { sha256: hash, dest: dest() }), 'bad-url', /example\.com/);
  });

  it('finishes a complete part from an earlier run without a request', async () => {
    const to = dest();
    writeFileSync(`${to}.part`, body);
    const r = await downloadFile('https://example.invalid/m.onnx', { sha256: hash, dest: to, sizeBytes: SIZE, fetchImpl: noFetch });
    assert.equal(r.resumedFrom, SIZE);
    assert.ok(readFileSync(to).equals(body));
  });

  it('fails with network when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await rejectsWith(downloadFile(`http://127.0.0.1:${port}/x`, { sha256: hash, dest: dest() }), 'network', /cannot download .*\(ECONNREFUSED: connection refused\)/);
  });
});
