// The same contract tests over the in-memory pair and the real HTTP/WebSocket transport.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { method } from '../../../src-shared/contract/define';
import { createClient } from '../../../src-shared/rpc/client';
import { createDispatcher } from '../../../src-shared/rpc/dispatcher';
import type { Transport } from '../../../src-shared/rpc/envelope';
import { RpcError } from '../../../src-shared/rpc/errors';
import { createMemoryPair } from '../../../src-shared/rpc/memory-transport';
import { socketTransport, type SocketLike } from '../../../src-shared/rpc/socket-transport';
import { startHttpServer } from './server';

const testContract = {
  'math.add': method(z.object({ a: z.number(), b: z.number() })).returns<{ sum: number }>(),
  'data.scale': method(z.object({ values: z.instanceof(Float32Array), factor: z.number() })).returns<{ values: Float32Array; ids: Int32Array }>(),
  'slow.wait': method(z.object({ ms: z.number() })).returns<{ aborted: boolean }>(),
  'fail.always': method(z.object({})).returns<never>(),
  'events.fire': method(z.object({ n: z.number().int() })).returns<{ fired: number }>(),
};
type Events = { tick: { i: number } };

function makeDispatcher() {
  let lastAbort: Promise<boolean> = Promise.resolve(false);
  const d = createDispatcher(testContract, {
    'math.add': ({ a, b }) => ({ sum: a + b }),
    'data.scale': ({ values, factor }) => ({ values: values.map((v) => v * factor), ids: Int32Array.from(values, (_, i) => i) }),
    'slow.wait': ({ ms }, { signal }) => {
      lastAbort = new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        signal.addEventListener('abort', () => { clearTimeout(t); resolve(true); });
      });
      return lastAbort.then((aborted) => ({ aborted }));
    },
    'fail.always': () => { throw new RpcError('precondition', 'compute embeddings first'); },
    'events.fire': ({ n }) => { for (let i = 0; i < n; i++) d.broadcast('tick', { i }); return { fired: n }; },
  });
  return { d, aborted: () => lastAbort };
}

interface Setup { client: ReturnType<typeof createClient<typeof testContract, Events>>; aborted: () => Promise<boolean>; close: () => Promise<void> }

const transports: Record<string, () => Promise<Setup>> = {
  memory: async () => {
    const { d, aborted } = makeDispatcher();
    const [a, b] = createMemoryPair();
    d.attach(a);
    const client = createClient<typeof testContract, Events>(testContract, b);
    return { client, aborted, close: async () => client.close() };
  },
  websocket: async () => {
    const { d, aborted } = makeDispatcher();
    const server = await startHttpServer({ dispatcher: d });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const transport: Transport = socketTransport(ws as unknown as SocketLike);
    const client = createClient<typeof testContract, Events>(testContract, transport);
    return { client, aborted, close: async () => { client.close(); await server.close(); } };
  },
};

for (const [name, setup] of Object.entries(transports)) {
  describe(`contract over ${name} transport`, async () => {
    const s = await setup();
    after(() => s.close());

    it('returns typed results', async () => {
      assert.deepEqual(await s.client.call('math.add', { a: 2, b: 3 }), { sum: 5 });
    });

    it('rejects bad arguments with a typed bad_request error', async () => {
      await assert.rejects(s.client.call('math.add', { a: 'x' as unknown as number, b: 3 }), (e: RpcError) => e.code === 'bad_request' && /a:/.test(e.message));
    });

    it('rejects unknown methods', async () => {
      await assert.rejects(s.client.call('nope' as 'math.add', { a: 1, b: 1 }), (e: RpcError) => e.code === 'unknown_method');
    });

    it('carries typed arrays as binary both ways', async () => {
      const values = new Float32Array([1.5, -2, 3.25]);
      const res = await s.client.call('data.scale', { values, factor: 2 });
      assert.ok(res.values instanceof Float32Array);
      assert.deepEqual([...res.values], [3, -4, 6.5]);
      assert.ok(res.ids instanceof Int32Array);
      assert.deepEqual([...res.ids], [0, 1, 2]);
    });

    it('sends handler errors across as data', async () => {
      await assert.rejects(s.client.call('fail.always', {}), (e: RpcError) => e.code === 'precondition' && e.message === 'compute embeddings first');
    });

    it('times out and cancels the handler', async () => {
      await assert.rejects(s.client.call('slow.wait', { ms: 5000 }, { timeoutMs: 50 }), (e: RpcError) => e.code === 'timeout');
      assert.equal(await s.aborted(), true);
    });

    it('propagates caller cancellation to the handler', async () => {
      const ac = new AbortController();
      const p = s.client.call('slow.wait', { ms: 5000 }, { signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      await assert.rejects(p, (e: RpcError) => e.code === 'cancelled');
      assert.equal(await s.aborted(), true);
    });

    it('delivers events in order', async () => {
      const seen: number[] = [];
      const off = s.client.on('tick', (p) => seen.push(p.i));
      await s.client.call('events.fire', { n: 5 });
      await new Promise((r) => setTimeout(r, 20));
      off();
      assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    });
  });
}

describe('HTTP transport access control', async () => {
  const { d } = makeDispatcher();
  const server = await startHttpServer({ dispatcher: d });
  after(() => server.close());

  it('refuses a socket without the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=wrong`);
    const outcome = await new Promise<string>((resolve) => { ws.once('open', () => resolve('open')); ws.once('error', () => resolve('refused')); });
    assert.equal(outcome, 'refused');
  });

  it('refuses a socket from another origin', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { origin: 'http://evil.example' });
    const outcome = await new Promise<string>((resolve) => { ws.once('open', () => resolve('open')); ws.once('error', () => resolve('refused')); });
    assert.equal(outcome, 'refused');
  });

  it('keeps the token out of cookies and HTTP: the address carries it in the fragment', async () => {
    assert.equal(new URL(server.url).hash, `#token=${server.token}`);
    const res = await fetch(`http://127.0.0.1:${server.port}/?token=${server.token}`, { redirect: 'manual' });
    assert.equal(res.headers.get('set-cookie'), null);
    assert.ok(res.status < 300 || res.status >= 400);
  });

  it('only listens on loopback', () => {
    const addr = server.server.address();
    assert.ok(addr && typeof addr === 'object' && addr.address === '127.0.0.1');
  });
});
