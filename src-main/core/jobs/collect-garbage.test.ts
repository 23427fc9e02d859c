// A buffer let go stays allocated until its isolate collects it; collectGarbage makes that now.
// (Watched through a WeakRef: the process's buffer counts move with whatever else runs beside.)
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectGarbage } from './collect-garbage';

it('collects a dropped shared buffer at once', async () => {
  let big: SharedArrayBuffer | undefined = new SharedArrayBuffer(64 * 1024 * 1024);
  new Uint8Array(big).fill(1);
  const watch = new WeakRef(big);
  big = undefined;
  // A WeakRef keeps its target alive until the current job ends.
  await nextTurn();
  collectGarbage();
  assert.equal(watch.deref(), undefined);
  collectGarbage(); // a second call reuses the collector
});
