import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { createRng } from '../../../src-shared/random';
import { appearanceSignature, findAppearanceDuplicates, SIGNATURE_LENGTH } from './engine';
import { frameFilling, shiftedFrame } from '../../testing/curation/frame-filling';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { tempDir } from '../../testing/temp';
import { cachedAppearanceGroups, cachedAppearanceGroupsByContent } from './appearance-groups-cache';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

it('appearance groups are searched once per set of signatures and threshold, then read back', async () => {
  const project = ProjectSession.create(join(tempDir(), 'p.winnow'), quiet);
  const db = project.catalog.db;
  const rng = createRng(4);
  const sigs: (Uint8Array | null)[] = Array.from({ length: 60 }, () => Uint8Array.from({ length: SIGNATURE_LENGTH }, () => Math.floor(rng() * 256)));
  sigs[7] = sigs[3]!.slice();
  sigs[50] = sigs[3]!.slice();
  sigs[20] = null;
  const expected = findAppearanceDuplicates(sigs, 0.002);
  assert.deepEqual(expected.groups.map((g) => [...g]), [[3, 7, 50]]);

  assert.deepEqual(await cachedAppearanceGroups(project.catalog, sigs, 0.002), expected);
  assert.equal(db.prepare('SELECT COUNT(*) FROM appearance_groups').pluck().get(), 1);
  // Read back, not searched again: a planted answer under the same key comes out.
  const planted = new Int32Array(60).fill(-1);
  planted[1] = 0; planted[2] = 0;
  db.prepare('UPDATE appearance_groups SET group_of = ?').run(Buffer.from(planted.buffer));
  assert.deepEqual((await cachedAppearanceGroups(project.catalog, sigs, 0.002)).groups.map((g) => [...g]), [[1, 2]]);

  // Another signature, or another threshold, is another search.
  const changed = sigs.slice();
  changed[50] = Uint8Array.from({ length: SIGNATURE_LENGTH }, () => Math.floor(rng() * 256));
  assert.deepEqual((await cachedAppearanceGroups(project.catalog, changed, 0.002)).groups.map((g) => [...g]), [[3, 7]]);
  assert.deepEqual(await cachedAppearanceGroups(project.catalog, sigs, 0.003), findAppearanceDuplicates(sigs, 0.003));
  for (const t of [0.004, 0.005, 0.006]) await cachedAppearanceGroups(project.catalog, sigs, t);
  assert.equal(db.prepare('SELECT COUNT(*) FROM appearance_groups').pluck().get(), 4, 'only the newest few are kept');

  // A damaged row is searched again and replaced.
  db.prepare('UPDATE appearance_groups SET group_of = ?').run(Buffer.alloc(3));
  assert.deepEqual(await cachedAppearanceGroups(project.catalog, sigs, 0.006), findAppearanceDuplicates(sigs, 0.006));
  await project.close();
});

it('keyed by content, the signatures are read only when that content was not grouped before', async () => {
  const project = ProjectSession.create(join(tempDir(), 'p.winnow'), quiet);
  const rng = createRng(5);
  const sigs: (Uint8Array | null)[] = Array.from({ length: 40 }, () => Uint8Array.from({ length: SIGNATURE_LENGTH }, () => Math.floor(rng() * 256)));
  sigs[9] = sigs[2]!.slice();
  const hashes = sigs.map((_, i) => `h${i}`);
  let reads = 0;
  const read = () => { reads++; return sigs; };
  const expected = findAppearanceDuplicates(sigs, 0.002);
  assert.deepEqual(await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, read), expected);
  assert.deepEqual(await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, read), expected);
  assert.equal(reads, 1, 'the second call reads the cache, not the signatures');
  hashes[30] = 'edited';
  await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, read);
  assert.equal(reads, 2, 'changed content is searched again');
  await project.close();
});

it('with the images, the cached groups hold shifted copies of frame-filling images, under their own key', async () => {
  const project = ProjectSession.create(join(tempDir(), 'p.winnow'), quiet);
  const rng = createRng(6);
  const items = Array.from({ length: 80 }, () => frameFilling(rng));
  const pixels = [...items, shiftedFrame(items[5]!, -3, 2, 0, rng)];
  const sigs = pixels.map((p) => appearanceSignature(p, 28, 28, 1));
  let reads = 0;
  const images = async () => { reads++; return pixels.map((data) => ({ data, width: 28, height: 28 })); };
  const plain = await cachedAppearanceGroups(project.catalog, sigs, 0.002);
  assert.equal(plain.groupOf[80], -1, 'the signature rule alone misses this copy');
  const aligned = await cachedAppearanceGroups(project.catalog, sigs, 0.002, images);
  assert.deepEqual(aligned.groups.map((g) => [...g]), [[5, 80]]);
  assert.deepEqual(await cachedAppearanceGroups(project.catalog, sigs, 0.002, images), aligned);
  assert.equal(reads, 1, 'read back, not searched again');
  assert.deepEqual(await cachedAppearanceGroups(project.catalog, sigs, 0.002), plain, 'the plain search keeps its own key');
  await project.close();
});

it('with the embedding\'s graph, the groups are keyed by its set and size too', async () => {
  const project = ProjectSession.create(join(tempDir(), 'p.winnow'), quiet);
  const rng = createRng(7);
  const items = Array.from({ length: 60 }, () => frameFilling(rng));
  const pixels = [...items, shiftedFrame(items[4]!, 2, -2, 0, rng)];
  const sigs = pixels.map((p) => appearanceSignature(p, 28, 28, 1));
  const hashes = pixels.map((_, i) => `h${i}`);
  let reads = 0;
  const images = async () => { reads++; return pixels.map((data) => ({ data, width: 28, height: 28 })); };
  // Each row's graph neighbours: the next two rows (the copy's are its source and row 0).
  const indices = Int32Array.from({ length: pixels.length * 2 }, (_, t) => (Math.floor(t / 2) + 1 + (t % 2)) % pixels.length);
  indices[60 * 2] = 4;
  const graph = (set: number) => ({ neighbours: { indices, k: 2 }, key: `set ${set} k 2` });
  const first = await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, () => sigs, { images, graph: graph(1) });
  assert.deepEqual(first.groups.map((g) => [...g]), [[4, 60]]);
  await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, () => sigs, { images, graph: graph(1) });
  assert.equal(reads, 1, 'the same set and size read back');
  await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, () => sigs, { images, graph: graph(2) });
  assert.equal(reads, 2, 'another embedding set groups again');
  await cachedAppearanceGroupsByContent(project.catalog, hashes, 0.002, () => sigs, { images });
  assert.equal(reads, 3, 'without a graph: its own key');
  await project.close();
});
