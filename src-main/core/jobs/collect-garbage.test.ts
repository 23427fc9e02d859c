// A buffer let go stays allocated until its isolate collects it; collectGarbage makes that now.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { collectGarbage } from './collect-garbage';

it('frees a dropped shared buffer at once, which an idle isolate keeps otherwise', async () => {
  const size = 64 * 1024 * 1024;
  let big: SharedArrayBuffer | undefined = new SharedArrayBuffer(size);
  new Uint8Array(big).fill(1);
  const held = process.memoryUsage().arrayBuffers;
  big = undefined;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(process.memoryUsage().arrayBuffers > held - size / 2, 'still counted while nothing collects');
  collectGarbage();
  assert.ok(process.memoryUsage().arrayBuffers <= held - size * 0.99, `${(held - process.memoryUsage().arrayBuffers) / 2 ** 20} MiB freed`);
  collectGarbage(); // a second call reuses the collector
});
