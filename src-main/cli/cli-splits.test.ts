// `winnow leaks` and `winnow split` through the real CLI on a project of MNIST digits with
// copies planted across train/test: the leaks are found, the new split is stored, queryable
// and undoable, and bad flags change nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { LeakReport, SplitResult } from '../../src-shared/contract/splits';
import { ProjectSession } from '../core/project-session';
import { runQuery } from '../core/query/run-query';
import { leakFixtureSplit, makeLeakFolder } from '../testing/leak-fixture';
import { tempDir } from '../testing/temp';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const quiet = { progress: () => {}, finished: () => {} };

describe('winnow leaks and winnow split', async () => {
  const dir = tempDir();
  const project = join(dir, 'p.winnow');
  const planted = await makeLeakFolder(join(dir, 'digits'), 200, 8, 3);
  assert.equal(run('import', join(dir, 'digits'), '--project', project).status, 0);
  const open = () => ProjectSession.open(project, quiet);
  const state = async () => {
    const s = open();
    try {
      return { splits: s.catalog.db.prepare('SELECT id, split FROM samples ORDER BY id').raw().all(), edits: s.catalog.db.prepare('SELECT COUNT(*) FROM edits').pluck().get() };
    } finally { await s.close(); }
  };

  it('refuses a dataset without splits in one line, changing nothing', async () => {
    const before = await state();
    const res = run('leaks', '--project', project);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /^winnow: the dataset has no splits/);
    assert.equal(res.stderr.trim().split('\n').length, 1);
    assert.deepEqual(await state(), before);
  });

  it('lists the planted copies as leaks, with counts', async () => {
    const s = open();
    const splitOf = leakFixtureSplit(planted);
    const paths = new Map((s.catalog.db.prepare('SELECT id, rel_path FROM samples').raw().all() as Array<[number, string]>));
    s.labels.setField([...paths.keys()], 'split', (id) => splitOf(paths.get(id)!), 'fixture splits');
    await s.close();

    const res = run('leaks', '--project', project, '--json');
    assert.equal(res.status, 0, res.stderr);
    const r = JSON.parse(res.stdout) as LeakReport & { leakingIds: number[] };
    assert.equal(r.pairs, planted.length);
    const found = new Set(r.page.map((p) => [p.a.path, p.b.path].sort().join(' ')));
    for (const p of planted) assert.ok(found.has([p.source, p.copy].sort().join(' ')), `missed ${p.kind} copy ${p.copy}`);
    assert.equal(r.leakingIds.length, 2 * planted.length);

    const human = run('leaks', '--project', project, '--limit', '2');
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^${planted.length} leak pairs \\(2 exact\\)`, 'm'));
    assert.match(human.stdout, new RegExp(`test ↔ train: ${planted.length} pairs`));
    assert.match(human.stdout, new RegExp(`… ${planted.length - 2} more \\(--offset 2`));
  });

  it('makes a leak-free split that is stored, queryable and undone as one edit', async () => {
    const res = run('split', '--project', project, '--ratios', 'train=0.8,val=0.2', '--seed', '5', '--json');
    assert.equal(res.status, 0, res.stderr);
    const r = JSON.parse(res.stdout) as SplitResult;
    assert.equal(r.leaksAfter, 0);
    assert.deepEqual(r.parts.map((p) => p.name), ['train', 'val']);
    const s = open();
    try {
      assert.equal(runQuery(s.catalog, 'split = val').length, r.parts[1]!.samples);
      assert.equal(runQuery(s.catalog, 'split = test').length, 0);
      assert.equal(runQuery(s.catalog, 'leaks = true').length, 0);
      const undone = s.labels.undo();
      assert.match(undone.description ?? '', /^split train=0.8,val=0.2 \(seed 5\)/);
      assert.equal(runQuery(s.catalog, 'split = val').length, 0);
      assert.equal(runQuery(s.catalog, 'leaks = true').length, 2 * planted.length, 'the planted leaks are back');
    } finally { await s.close(); }
    const again = JSON.parse(run('leaks', '--project', project, '--json').stdout) as LeakReport;
    assert.equal(again.pairs, planted.length);
  });

  it('refuses bad ratios and an unknown group field in one line, changing nothing', async () => {
    const before = await state();
    for (const [args, message] of [
      [['--ratios', 'train=0.8,val=0.1'], /ratios must sum to 1, got 0.9/],
      [['--ratios', 'train=0.8,holdout'], /--ratios: "holdout" is not name=ratio/],
      [['--ratios', 'train=abc,val=0.2'], /--ratios: "abc" is not a number/],
      [['--ratios', 'train=1'], /--ratios: a split needs at least two parts/],
      [['--ratios', 'train=0.5,train=0.5'], /split "train" is named twice/],
      [[], /--ratios is required/],
      [['--ratios', 'train=0.5,val=0.5', '--group-by', 'camera'], /no metadata field "camera"/],
      [['--ratios', 'train=0.5,val=0.5', '--seed', '1.5'], /--seed: the seed must be a whole number/],
    ] as Array<[string[], RegExp]>) {
      const res = run('split', '--project', project, ...args);
      assert.equal(res.status, 1, args.join(' '));
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1);
    }
    assert.deepEqual(await state(), before);
  });
});
