import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { atlasEntries, type ThumbnailAtlas } from '../../src-shared/model/atlas';
import { THUMBNAIL_REQUEST_DELAY_MS } from './constants';
import { ThumbnailLoader, type AtlasCache } from './thumbnails';

/** An atlas cache that only remembers which ids it holds. */
function fakeCache(): AtlasCache & { held: Set<number> } {
  const held = new Set<number>();
  return {
    held,
    has: (id) => held.has(id),
    add: (a) => {
      a.entries.index.forEach((i) => held.add(i));
      return null;
    },
    countCached: (ids) => ids.filter((i) => held.has(i)).length,
  };
}

function atlasOf(ids: ArrayLike<number>): ThumbnailAtlas {
  return {
    atlasId: `a${Array.from(ids).join('-')}`,
    width: 8,
    height: 8,
    rgba: new Uint8Array(256),
    cell: 8,
    entries: atlasEntries(Array.from(ids, (index) => ({ index, u: 0, v: 0 }))),
  };
}

const settle = async () => {
  mock.timers.tick(THUMBNAIL_REQUEST_DELAY_MS);
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test('asks once the view settles, for the missing ids only, nearest first', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const cache = fakeCache();
    cache.held.add(2);
    const asked: number[][] = [];
    let loaded = 0;
    const loader = new ThumbnailLoader(cache, () => loaded++);
    loader.setProvider(async (ids) => {
      asked.push(Array.from(ids));
      return atlasOf(ids);
    });
    loader.want(new Uint32Array([5, 2, 9]));
    assert.equal(asked.length, 0, 'nothing before the view settles');
    await settle();
    assert.deepEqual(asked, [[5, 9]]);
    assert.equal(loaded, 1);
    // The redraw after loading wants the same ids again: no new request.
    loader.want(new Uint32Array([5, 2, 9]));
    await settle();
    assert.equal(asked.length, 1);
    loader.dispose();
  } finally {
    mock.timers.reset();
  }
});

test('partial answers are followed up while they make progress, and stop when they do not', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const cache = fakeCache();
    const asked: number[][] = [];
    const loader = new ThumbnailLoader(cache, () => {});
    // Serves two at a time, and nothing for id 99.
    loader.setProvider(async (ids) => {
      asked.push(Array.from(ids));
      return atlasOf(Array.from(ids).filter((i) => i !== 99).slice(0, 2));
    });
    loader.want(new Uint32Array([1, 2, 3, 4, 99]));
    await settle();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    assert.deepEqual(asked, [[1, 2, 3, 4, 99], [3, 4, 99], [99]]);
    assert.deepEqual([...cache.held].sort(), [1, 2, 3, 4]);
    loader.dispose();
  } finally {
    mock.timers.reset();
  }
});

test('a newer view aborts the request in flight; a failing provider is not retried in a loop', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const cache = fakeCache();
    const signals: AbortSignal[] = [];
    let calls = 0;
    const loader = new ThumbnailLoader(cache, () => {});
    loader.setProvider((ids, signal) => {
      calls++;
      signals.push(signal);
      return ids[0] === 7 ? Promise.reject(new Error('disk gone')) : new Promise(() => {});
    });
    const warn = mock.method(console, 'warn', () => {});
    loader.want(new Uint32Array([1]));
    await settle();
    loader.want(new Uint32Array([7]));
    await settle();
    assert.equal(signals[0].aborted, true);
    assert.equal(calls, 2);
    await settle();
    await settle();
    assert.equal(calls, 2, 'no retry until the view changes');
    assert.equal(warn.mock.callCount(), 1);
    warn.mock.restore();
    loader.dispose();
    assert.equal(signals[1].aborted, false, 'settled requests have nothing to abort');
  } finally {
    mock.timers.reset();
  }
});
