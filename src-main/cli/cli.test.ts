import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../testing/temp';
import { fashionMissing } from '../testing/curation/fashion';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('winnow CLI', () => {
  const dir = tempDir();
  const project = join(dir, 'mnist.winnow');

  it('imports all 70,000 MNIST digits and reports them by label and split', () => {
    const imp = run('import', 'mnist', '--project', project, '--json');
    assert.equal(imp.status, 0, imp.stderr);
    assert.equal(JSON.parse(imp.stdout).added, 70000);
    assert.match(imp.stderr, /import: 70000\/70000/);
    const info = run('info', '--project', project, '--json');
    assert.equal(info.status, 0, info.stderr);
    const doc = JSON.parse(info.stdout);
    assert.equal(doc.total, 70000);
    const bySplit = Object.fromEntries(doc.bySplit.map((e: { value: string; count: number }) => [e.value, e.count]));
    assert.deepEqual(bySplit, { train: 60000, test: 10000 });
    assert.equal(doc.byLabel.length, 10);
    assert.equal(doc.byLabel.reduce((s: number, e: { count: number }) => s + e.count, 0), 70000);
  });

  it('importing MNIST twice adds nothing', () => {
    const again = run('import', 'mnist', '--project', project, '--json');
    assert.equal(again.status, 0);
    assert.equal(JSON.parse(again.stdout).added, 0);
  });

  it('imports Fashion-MNIST beside it as a dataset of its own, labelled by class name', { skip: fashionMissing() }, () => {
    const imp = run('import', 'fashion-mnist', '--project', project, '--json');
    assert.equal(imp.status, 0, imp.stderr);
    assert.equal(JSON.parse(imp.stdout).added, 70000);
    const doc = JSON.parse(run('info', '--project', project, '--json').stdout);
    assert.equal(doc.total, 140000);
    assert.deepEqual(doc.datasets.map((d: { name: string; sampleCount: number }) => [d.name, d.sampleCount]), [['MNIST', 70000], ['Fashion-MNIST', 70000]]);
    const labels = new Map(doc.byLabel.map((e: { value: string; count: number }) => [e.value, e.count]));
    assert.equal(labels.size, 20);
    assert.equal(labels.get('Ankle boot'), 7000);
    assert.equal(labels.get('7'), 7293);
    assert.equal(JSON.parse(run('import', 'fashion-mnist', '--project', project, '--json').stdout).added, 0);
  });

  it('refuses the Fashion-MNIST demo where it is not installed, saying how to install it, the project unchanged', () => {
    const before = JSON.parse(run('info', '--project', project, '--json').stdout).total;
    const res = spawnSync(process.execPath, [CLI, 'import', 'fashion-mnist', '--project', project], { encoding: 'utf8', env: { ...process.env, WINNOW_FASHION_DIR: join(dir, 'no-fashion-here') } });
    assert.notEqual(res.status, 0);
    assert.match(res.stderr.trim().split('\n').at(-1)!, /^winnow: Fashion-MNIST is not installed: .*no-fashion-here .*apt-get install dataset-fashion-mnist/);
    assert.equal(JSON.parse(run('info', '--project', project, '--json').stdout).total, before);
  });

  it('exits non-zero with a one-line reason on bad input', () => {
    const notProject = join(dir, 'junk.winnow');
    writeFileSync(notProject, 'junk');
    for (const [args, pattern] of [
      [['info', '--project', notProject], /not a Winnow project/],
      [['info'], /--project FILE is required/],
      [['import', join(dir, 'nothing-here'), '--project', join(dir, 'x.winnow')], /folder does not exist/],
      [['frobnicate'], /unknown command/],
      [['info', '--project', project, '--bogus'], /Unknown option/],
    ] as Array<[string[], RegExp]>) {
      const res = run(...args);
      assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
      const lines = res.stderr.trim().split('\n');
      assert.match(lines[lines.length - 1]!, pattern);
      assert.match(lines[lines.length - 1]!, /^winnow: /);
      assert.equal(res.stdout, '');
    }
  });
});

describe('winnow curate and map on bad input', () => {
  const dir = tempDir();
  const project = join(dir, 'p.winnow');

  it('name the missing step, and refuse bad N and weights in one line', () => {
    const imp = run('import', 'mnist', '--project', project);
    assert.equal(imp.status, 0);
    for (const [args, pattern] of [
      [['map', '--project', project], /compute embeddings first/],
      [['curate', '--project', project, '--mode', 'representative', '--n', '10', '--name', 'x'], /compute the map first/],
      [['curate', '--project', project, '--mode', 'representative', '--n', '0', '--name', 'x'], /--n: N must be at least 1/],
      [['curate', '--project', project, '--mode', 'representative', '--n', 'ten', '--name', 'x'], /--n:/],
      [['curate', '--project', project, '--mode', 'custom', '--n', '5', '--name', 'x', '--weights', 'sparseness=-1'], /--weights: sparseness must be a number ≥ 0/],
      [['curate', '--project', project, '--mode', 'custom', '--n', '5', '--name', 'x', '--weights', 'noise=NaN'], /--weights: noise must be a number ≥ 0/],
      [['curate', '--project', project, '--mode', 'sideways', '--n', '5', '--name', 'x'], /--mode:/],
      [['curate', '--project', project, '--mode', 'edge-cases', '--n', '5', '--name', 'x', '--edges', 'sideways'], /--edges: must be rare, ambiguous or both/],
      [['curate', '--project', project, '--mode', 'representative', '--n', '5', '--name', 'x', '--appearance-weight=-1'], /--appearance-weight: the appearance weight must be ≥ 0/],
      [['curate', '--project', project, '--mode', 'representative', '--n', '5', '--name', 'x', '--appearance-weight', 'heavy'], /--appearance-weight:/],
      [['scores', '--project', project], /compute the map first/],
    ] as Array<[string[], RegExp]>) {
      const res = run(...args);
      assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
      const lines = res.stderr.trim().split('\n');
      assert.match(lines[lines.length - 1]!, pattern);
    }
  });
});
