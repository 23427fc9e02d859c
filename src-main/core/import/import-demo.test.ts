// The built-in demo sets: MNIST and, where Debian's dataset-fashion-mnist is installed (CI
// installs it), Fashion-MNIST, each its own dataset in one project, also in a project made
// before there was more than one (schema 13).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { fashionMissing } from '../../testing/curation/fashion';
import { tempDir } from '../../testing/temp';
import { projectAtSchema } from '../../testing/old-project';
import { demoSetMissing, readDemoPart, readIdx } from './idx';
import { readSignatures } from '../curate/appearance-store';
import { appearanceSignature } from '../curate/engine';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

describe('demo sets', () => {
  const dir = tempDir();

  it('Fashion-MNIST goes beside MNIST in a project from before, by class name, pixels as in its files', { skip: fashionMissing() }, async () => {
    // Schema 13 (one demo set per project at most) with MNIST's dataset row in it.
    const path = join(dir, 'old.winnow');
    const old = projectAtSchema(path, 13);
    old.prepare("INSERT INTO datasets (name, kind, root) VALUES ('MNIST', 'mnist', NULL)").run();
    old.close();

    const project = ProjectSession.open(path, quiet);
    const imported = await project.jobs.wait(project.startImport({ kind: 'fashion-mnist' }));
    assert.equal(imported.state, 'done', imported.error ?? '');
    assert.equal((imported.result as { added: number }).added, 70_000);
    const overview = project.catalog.overview();
    assert.deepEqual(overview.datasets.map((d) => [d.name, d.kind, d.root, d.sampleCount]), [['MNIST', 'mnist', null, 0], ['Fashion-MNIST', 'mnist', null, 70_000]]);
    assert.deepEqual(overview.byLabel.map((e) => e.value).sort(), ['Ankle boot', 'Bag', 'Coat', 'Dress', 'Pullover', 'Sandal', 'Shirt', 'Sneaker', 'T-shirt/top', 'Trouser']);
    const test = readDemoPart('fashion-mnist', 'test');
    const id = project.catalog.db.prepare("SELECT s.id FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = 'Fashion-MNIST' AND s.rel_path = 'test/00003.png'").pluck().get() as number;
    assert.deepEqual(project.catalog.thumbnails([id])[0]!.data, test.images.subarray(3 * 784, 4 * 784));
    assert.equal(project.catalog.sample(id).label, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'][test.labels[3]!]);
    // The import made every image's look (import-looks.ts), from its pixels.
    assert.equal(project.catalog.db.prepare('SELECT COUNT(*) FROM signatures WHERE data IS NOT NULL').pluck().get(), 70_000);
    assert.deepEqual(readSignatures(project.catalog, Int32Array.of(id))[0], appearanceSignature(test.images.subarray(3 * 784, 4 * 784), 28, 28, 1));
    // MNIST's own import still finds its dataset (by name), and a second Fashion import adds nothing.
    const mnist = await project.jobs.wait(project.startImport({ kind: 'mnist' }));
    assert.equal((mnist.result as { added: number }).added, 70_000);
    assert.equal(project.catalog.overview().datasets.length, 2);
    assert.equal(((await project.jobs.wait(project.startImport({ kind: 'fashion-mnist' }))).result as { added: number }).added, 0);
    await project.close();
  });

  it('a set that is not installed is refused when asked for, saying how to install it; nothing is written', async () => {
    const project = ProjectSession.create(join(dir, 'p.winnow'), quiet);
    const saved = process.env.WINNOW_FASHION_DIR;
    process.env.WINNOW_FASHION_DIR = join(dir, 'nowhere');
    try {
      assert.throws(() => project.startImport({ kind: 'fashion-mnist' }), (e: Error & { code?: string }) => e.code === 'not_found' && /Fashion-MNIST is not installed: .*nowhere .*apt-get install dataset-fashion-mnist/.test(e.message));
    } finally {
      if (saved === undefined) delete process.env.WINNOW_FASHION_DIR;
      else process.env.WINNOW_FASHION_DIR = saved;
    }
    // A folder with some of the files names the ones that are missing.
    mkdirSync(join(dir, 'partial'));
    writeFileSync(join(dir, 'partial', 'train-images-idx3-ubyte.gz'), '');
    process.env.WINNOW_FASHION_DIR = join(dir, 'partial');
    try {
      assert.match(demoSetMissing('fashion-mnist')!, /: train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz missing in .*partial/);
    } finally {
      if (saved === undefined) delete process.env.WINNOW_FASHION_DIR;
      else process.env.WINNOW_FASHION_DIR = saved;
    }
    assert.equal(demoSetMissing('mnist'), undefined);
    assert.equal(project.catalog.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get(), 0);
    assert.equal(project.catalog.overview().datasets.length, 0);
    await project.close();
  });

  it('an IDX reader refuses a file that is not one', () => {
    const bad = join(dir, 'bad-idx');
    writeFileSync(bad, 'not an idx file');
    assert.throws(() => readIdx(bad), /not an IDX file of bytes/);
  });
});
