// The headless workflow end to end through the real CLI: import a folder of PNGs, embed with
// the built-in model, map, score, curate. A shifted, noisy copy of one digit is planted so the
// scores must put it in its source's duplicate group.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { createRng } from '../../src-shared/random';
import { shiftedCopy } from '../testing/curation/mnist';
import { fashionMissing, FASHION_CLASSES, loadFashion } from '../testing/curation/fashion';
import { readDemoPart } from '../core/import/idx';
import { makeMnistFolder } from '../testing/fixture-images';
import { tempDir } from '../testing/temp';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const json = (args: string[]) => {
  const res = run(...args, '--json');
  assert.equal(res.status, 0, `${args.join(' ')}: ${res.stderr}`);
  return JSON.parse(res.stdout);
};

describe('winnow import → embed → map → scores → curate on a folder', () => {
  const dir = tempDir();
  const images = join(dir, 'digits');
  const project = join(dir, 'digits.winnow');

  it('runs every step and finds the planted near duplicate', async () => {
    await makeMnistFolder(images, 150);
    const part = readDemoPart('mnist', 'test');
    const source = 7; // digit 7 of the test split, written by makeMnistFolder as <label>/00007.png
    const copy = shiftedCopy(part.images, source, 1, -2, 8, createRng(3));
    const label = String(part.labels[source]);
    await sharp(Buffer.from(copy), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(images, label, 'copy-of-00007.png'));

    assert.equal(json(['import', images, '--project', project]).added, 151);
    const embed = json(['embed', '--project', project]);
    assert.equal(embed.embedded, 151);
    assert.equal(embed.provider, 'cpu');
    json(['map', '--project', project]);

    const scores = json(['scores', '--project', project, '--format', 'json']) as { samples: Array<{ path: string; label: string; duplicateGroup: number | null; sparseness: number }> };
    assert.equal(scores.samples.length, 151);
    const byPath = new Map(scores.samples.map((s) => [s.path, s]));
    const src = byPath.get(`${label}/00007.png`)!, dup = byPath.get(`${label}/copy-of-00007.png`)!;
    assert.notEqual(src.duplicateGroup, null, 'the source is in a duplicate group');
    assert.equal(dup.duplicateGroup, src.duplicateGroup);
    const grouped = scores.samples.filter((s) => s.duplicateGroup !== null);
    assert.equal(grouped.length, 2, `only the planted pair is grouped, got ${grouped.map((s) => s.path).join(', ')}`);
    assert.ok(scores.samples.every((s) => Number.isFinite(s.sparseness)));

    const cur = json(['curate', '--project', project, '--mode', 'representative', '--n', '10', '--name', 'starter']) as { picks: Array<{ id: number; path: string; reason: string }>; slice: { name: string; version: number } };
    assert.equal(cur.picks.length, 10);
    assert.equal(cur.slice.name, 'starter');
    assert.equal(new Set(cur.picks.map((p) => p.path)).size, 10);
    // one pick per duplicate group at most: never both the digit and its copy
    assert.ok(!(cur.picks.some((p) => p.path === src.path) && cur.picks.some((p) => p.path === dup.path)));
    // the digits 0–9 are all present among 150 test digits, so uniform class quotas cover each
    assert.equal(new Set(cur.picks.map((p) => p.path.split('/')[0])).size, 10);

    // Edge cases by one criterion: rare picks only, each naming (where a neighbour of another
    // label is near) a class other than its own, the folder it came from; then ambiguous only.
    type Picks = { picks: Array<{ path: string; reason: string }> };
    const rare = json(['curate', '--project', project, '--mode', 'edge-cases', '--n', '10', '--name', 'edges', '--edges', 'rare']) as Picks;
    assert.equal(rare.picks.length, 10);
    for (const p of rare.picks) {
      const m = /^rare(?: for its class, near "(.+)")? \(score /.exec(p.reason);
      assert.ok(m, p.reason);
      if (m[1] !== undefined) assert.notEqual(m[1], p.path.split('/')[0], p.reason);
    }
    assert.ok(rare.picks.some((p) => p.reason.includes('near "')), rare.picks.map((p) => p.reason).join('; '));
    const amb = json(['curate', '--project', project, '--mode', 'edge-cases', '--n', '10', '--name', 'edges', '--edges', 'ambiguous']) as Picks;
    assert.ok(amb.picks.length > 0 && amb.picks.every((p) => p.reason.startsWith('ambiguous')), amb.picks.map((p) => p.reason).join('; '));
  });
});

// The same workflow on Fashion-MNIST (Debian's dataset-fashion-mnist): clothes that fill the
// frame and classes that look alike. A model's predictions are imported, one of them wrong on
// purpose, and the mislabelled mode must put that sample first with the model's label.
const fashionSkip = fashionMissing();
describe('winnow workflow on a Fashion-MNIST folder, with imported predictions', { skip: fashionSkip }, () => {
  const dir = tempDir();
  const images = join(dir, 'fashion');
  const project = join(dir, 'fashion.winnow');

  it('imports, embeds, maps, takes a model’s predictions and curates the mislabelled', async () => {
    const part = loadFashion('test', 150);
    const names = FASHION_CLASSES.map((c) => c.replace('/', '-'));
    const rel: string[] = [];
    for (let i = 0; i < part.n; i++) {
      const cls = names[part.labels[i]];
      mkdirSync(join(images, cls), { recursive: true });
      rel.push(`${cls}/${String(i).padStart(5, '0')}.png`);
      await sharp(Buffer.from(part.pixels.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(images, rel[i]));
    }
    assert.equal(json(['import', images, '--project', project]).added, 150);
    assert.equal(json(['embed', '--project', project]).embedded, 150);
    json(['map', '--project', project]);

    // The model agrees with every label except one trouser, which it calls a dress.
    const present = [...new Set(Array.from(part.labels, (c) => names[c]))].sort();
    const victim = Array.from(part.labels).indexOf(1);
    const rows = rel.map((p, i) => {
      const label = i === victim ? 'Dress' : names[part.labels[i]];
      return `${p},${present.map((c) => (c === label ? 0.91 : 0.09 / (present.length - 1)).toFixed(4)).join(',')}`;
    });
    const csv = join(dir, 'predictions.csv');
    writeFileSync(csv, [`path,${present.join(',')}`, ...rows].join('\n'));
    // A file naming a class the project does not have is refused, and says which.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [`path,${present.join(',')},Hat`, ...rows.map((r) => `${r},0`)].join('\n'));
    const refused = run('import-predictions', bad, '--project', project);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /class name\(s\) are not labels of the project: "Hat"/);

    const imported = json(['import-predictions', csv, '--project', project]);
    assert.equal(imported.rows, 150);
    assert.equal(imported.rescored, true);
    const scores = json(['scores', '--project', project, '--format', 'json']) as { samples: Array<{ path: string; modelDisagrees: number; modelLabel: string }> };
    const v = scores.samples.find((s) => s.path === rel[victim])!;
    assert.equal(v.modelLabel, 'Dress');
    assert.ok(v.modelDisagrees > 0.9);

    const cur = json(['curate', '--project', project, '--mode', 'mislabeled', '--n', '5', '--name', 'suspects']) as { picks: Array<{ path: string; suggestedLabel?: string }> };
    assert.equal(cur.picks[0].path, rel[victim]);
    assert.equal(cur.picks[0].suggestedLabel, 'Dress');
  });
});
