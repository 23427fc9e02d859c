import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atlasEntries, atlasProblem, type ThumbnailAtlas } from './atlas';

function atlas(over: Partial<ThumbnailAtlas> = {}): ThumbnailAtlas {
  return {
    atlasId: 'a1',
    width: 128,
    height: 64,
    rgba: new Uint8Array(128 * 64 * 4),
    cell: 64,
    entries: atlasEntries([
      { index: 7, u: 0, v: 0 },
      { index: 9, u: 64, v: 0 },
    ]),
    ...over,
  };
}

test('a well-formed atlas has no problem', () => {
  assert.equal(atlasProblem(atlas()), null);
});

test('malformed atlases are refused with a reason', () => {
  assert.match(atlasProblem(atlas({ rgba: new Uint8Array(10) }))!, /rgba has 10 bytes/);
  assert.match(atlasProblem(atlas({ width: 0 }))!, /bad size/);
  assert.match(atlasProblem(atlas({ cell: 65 }))!, /bad cell/);
  assert.match(atlasProblem(atlas({ entries: atlasEntries([{ index: 1, u: 100, v: 0 }]) }))!, /outside the atlas/);
  const e = atlasEntries([{ index: 1, u: 0, v: 0 }]);
  assert.match(atlasProblem(atlas({ entries: { ...e, u: new Uint16Array(2) } }))!, /differ in length/);
});
