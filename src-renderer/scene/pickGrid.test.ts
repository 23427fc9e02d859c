import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LassoClient } from './lassoClient';
import type { LassoRequest, LassoResponse } from './lassoProtocol';
import { PickGrid } from './pickGrid';
import { buildGrid, type SpatialGrid } from './spatialGrid';

const x = Float32Array.from({ length: 60_000 }, (_, i) => i % 300);
const y = Float32Array.from({ length: 60_000 }, (_, i) => Math.floor(i / 300));

/** A stand-in for the lasso worker that runs the worker's grid answer in this thread. */
function fakeWorker(): Worker {
  const w = {
    onmessage: null as ((e: MessageEvent<LassoResponse>) => void) | null,
    onerror: null,
    onmessageerror: null,
    postMessage(m: LassoRequest) {
      if (m.type !== 'layout') return;
      const grid = buildGrid(m.x, m.y);
      queueMicrotask(() => w.onmessage?.({ data: { type: 'grid', version: m.version, grid } } as MessageEvent<LassoResponse>));
    },
    terminate() {},
  };
  return w as unknown as Worker;
}

it('the page adopts the grid the worker built for the current layout, and builds none itself', async () => {
  let built = 0;
  const pick = new PickGrid(() => built++);
  pick.setLayout(x, y);
  const got: Array<[number, SpatialGrid]> = [];
  const client = new LassoClient(fakeWorker, (version, grid) => got.push([version, grid]));
  client.setLayout(x, y, null, 7);
  assert.equal(client.active, true);
  await Promise.resolve();
  assert.equal(got.length, 1);
  assert.equal(got[0]![0], 7);
  pick.adopt(got[0]![1]);
  assert.equal(built, 1, 'adopting tells the engine, as a build does');
  assert.equal(pick.current, got[0]![1]);
  assert.equal(pick.nearest(150.1, 100.1, 1, null), 100 * 300 + 150);
  client.dispose();
});

it('a grid for other positions is not adopted, and a grid already built stays', () => {
  const pick = new PickGrid(() => {});
  pick.setLayout(x, y);
  pick.adopt(buildGrid(x.subarray(0, 10), y.subarray(0, 10)));
  assert.equal(pick.current, null);
  const own = pick.ensure();
  pick.adopt(buildGrid(x, y));
  assert.equal(pick.current, own);
});

it('small layouts stay on the page: no worker, no grid from it', () => {
  const client = new LassoClient(fakeWorker, () => assert.fail('no grid expected'));
  client.setLayout(x.subarray(0, 100), y.subarray(0, 100), null, 1);
  assert.equal(client.active, false);
});
