// Every method of the contract, called once through the in-memory transport pair on a real
// project (real PNGs, the built-in ONNX model, a real map and slice), as the renderer calls
// them. The last test fails when a method was added to the contract but never called here.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { contract, type Contract, type Events } from '../../../src-shared/contract';
import { atlasProblem } from '../../../src-shared/model/atlas';
import type { JobFinished } from '../../../src-shared/model/job';
import type { SliceReport, ValidationSetResult } from '../../../src-shared/model/reference';
import { createClient } from '../../../src-shared/rpc/client';
import type { RpcError } from '../../../src-shared/rpc/errors';
import { createMemoryPair } from '../../../src-shared/rpc/memory-transport';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { composeApp } from '../compose';

type Method = keyof Contract;

describe('every contract method over the in-memory transport', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 8 });
  const { core, dispatcher } = composeApp({ transport: 'memory' });
  const [server, clientSide] = createMemoryPair();
  dispatcher.attach(server);
  const api = createClient<Contract, Events>(contract, clientSide);
  const called = new Set<Method>();
  const call: typeof api.call = (name, args, opts) => {
    called.add(name);
    return api.call(name, args, opts);
  };
  const finishedJobs = new Map<string, JobFinished>();
  const waiters = new Map<string, (f: JobFinished) => void>();
  api.on('job.finished', (f) => {
    finishedJobs.set(f.jobId, f);
    waiters.get(f.jobId)?.(f);
  });
  const finished = (jobId: string) => new Promise<JobFinished>((resolve) => {
    const done = finishedJobs.get(jobId);
    if (done) resolve(done);
    else waiters.set(jobId, resolve);
  });
  const runJob = async (start: Promise<{ jobId: string }>) => {
    const { jobId } = await start;
    const end = await finished(jobId);
    assert.equal(end.state, 'done', end.error ?? undefined);
    return end;
  };
  after(async () => {
    api.close();
    await core.closeProject();
  });

  it('app: info, showFolder and pickFolder (no native shell in memory)', async () => {
    const info = await call('app.info', {});
    assert.equal(info.transport, 'memory');
    assert.equal(info.nativeDialogs, false);
    assert.deepEqual(await call('app.showFolder', { path: dir }), { shown: false });
    assert.deepEqual(await call('app.pickFolder', {}), { path: null });
  });

  it('project: create, current, close, open', async () => {
    const path = join(dir, 'p.winnow');
    assert.equal((await call('project.create', { path })).overview.total, 0);
    assert.equal((await call('project.current', {}))?.path, path);
    assert.deepEqual(await call('project.close', {}), { closed: true });
    assert.equal(await call('project.current', {}), null);
    assert.equal((await call('project.open', { path })).path, path);
  });

  it('dataset: import with a labels file, then overview, columns, samples, images, thumbnails, atlas, metadata, query', async () => {
    const rows = ['path,label,weight', ...['circle', 'square', 'stripes'].flatMap((cls, c) =>
      Array.from({ length: fixture.perClass }, (_, i) => `${cls}/${cls}_${String(i).padStart(4, '0')}.png,${cls},${c * 10 + i}`))];
    const labelsFile = join(dir, 'labels.csv');
    writeFileSync(labelsFile, `${rows.join('\n')}\n`);
    const imported = await runJob(call('dataset.import', { source: { kind: 'folder', path: fixture.root, labelsFile } }));
    const failures = await call('dataset.importFailures', { jobId: imported.jobId, limit: 10 });
    assert.deepEqual([failures.total, failures.items.length, failures.next], [0, 0, null]);
    assert.equal((await call('dataset.overview', {})).total, fixture.good);
    const cols = await call('samples.columns', {});
    assert.equal(cols.ids.length, fixture.good);
    const id = cols.ids[0]!;
    assert.equal((await call('samples.get', { id })).id, id);
    assert.equal((await call('samples.image', { id })).format, 'png');
    assert.equal((await call('samples.thumbnails', { ids: [id] })).items[0]?.format, 'png');
    const atlas = await call('samples.atlas', { ids: [id, cols.ids[1]!], rows: [0, 1], cell: 16 });
    assert.deepEqual([...atlas.entries.index], [0, 1]);
    assert.equal(atlasProblem(atlas), null);
    const weight = await call('samples.metadataColumn', { field: 'weight' });
    assert.equal(weight.kind, 'numeric');
    assert.equal(weight.ids.length, fixture.good);
    const circles = await call('samples.query', { query: 'label = circle' });
    assert.equal(circles.ids.length, fixture.perClass);
  });

  it('labels: set, history, undo, redo, exclude', async () => {
    const { ids } = await call('samples.columns', {});
    const id = ids[0]!;
    const before = (await call('samples.get', { id })).label;
    await call('labels.set', { ids: [id], label: 'relabelled' });
    assert.equal((await call('samples.get', { id })).label, 'relabelled');
    assert.ok((await call('labels.history', { id })).length >= 1);
    await call('labels.undo', {});
    assert.equal((await call('samples.get', { id })).label, before);
    await call('labels.redo', {});
    assert.equal((await call('samples.get', { id })).label, 'relabelled');
    await call('labels.undo', {});
    await call('labels.exclude', { ids: [id], excluded: false });
  });

  it('embed, similar, map, scores', async () => {
    await runJob(call('embed.start', { device: 'cpu', batch: 8 }));
    const status = await call('embed.status', {});
    assert.equal(status.sets.length, 1);
    assert.equal(status.sets[0]!.count, fixture.good);
    const { ids } = await call('samples.columns', {});
    const similar = await call('similar.query', { id: ids[0]!, k: 3 });
    assert.equal(similar.hits.length, 3);
    await runJob(call('map.start', { k: 5, seed: 1 }));
    const map = await call('map.get', {});
    assert.equal(map?.ids.length, fixture.good);
    const scores = await call('scores.get', {});
    assert.equal(scores?.ids.length, fixture.good);
  });

  it('predictions: a model\'s probabilities become the "model disagrees" score; a malformed file is refused whole', async () => {
    const cols = await call('samples.columns', {});
    const rows = await Promise.all(Array.from(cols.ids, (id) => call('samples.get', { id })));
    const classes = [...cols.labelNames].sort();
    const good = join(dir, 'preds.csv');
    writeFileSync(good, [`path,${classes.join(',')}`, ...rows.map((r) => `${r.relPath},${classes.map((c) => (c === r.label ? 0.8 : 0.2 / (classes.length - 1))).join(',')}`)].join('\n'));
    const res = await call('predictions.import', { file: good });
    assert.equal(res.rows, fixture.good);
    assert.deepEqual(res.classes, classes);
    const bad = join(dir, 'preds-bad.csv');
    writeFileSync(bad, [`path,${classes.join(',')},rhombus`, ...rows.map((r) => `${r.relPath},${classes.map((c) => (c === r.label ? 0.8 : 0.2 / (classes.length - 1))).join(',')},0`)].join('\n'));
    await assert.rejects(call('predictions.import', { file: bad }), (e: RpcError) => e.code === 'bad_request' && /"rhombus"/.test(e.message));
    const scores = await call('scores.get', {});
    assert.ok(scores?.modelDisagrees, 'the score columns carry the model-disagrees score');
    // The model agrees with every label here (0.8 on it): nothing disagrees, and its label is each sample's own.
    assert.equal((await call('samples.query', { query: 'model_disagree > 0.5' })).ids.length, 0);
    assert.equal((await call('samples.query', { query: 'model_disagree >= 0' })).ids.length, fixture.good);
    assert.equal((await call('samples.query', { query: 'model_label = circle' })).ids.length, (await call('samples.query', { query: 'label = circle' })).ids.length);
  });

  it('curate, slices, export', async () => {
    await runJob(call('curate.run', { mode: 'representative', n: 6, name: 'starter' }));
    const slices = await call('slices.list', {});
    assert.deepEqual(slices.map((s) => s.name), ['starter']);
    const { members } = await call('slices.members', { ref: 'starter' });
    assert.equal(members.length, 6);
    const out = join(dir, 'export');
    const end = await runJob(call('export.start', { source: { kind: 'slice', ref: 'starter' }, out }));
    assert.equal((end.result as { exported: number }).exported, 6);
    assert.ok(existsSync(join(out, 'manifest.csv')));
  });

  it('review: evidence, queue and position, decide, summary, accept-all', async () => {
    const { ids } = await call('samples.columns', {});
    const id = ids[0]!;
    const ev = await call('review.evidence', { id, neighbours: 3 });
    assert.equal(ev.neighbours.length, 3);
    assert.ok(ev.noise !== null && ev.reason.length > 0);
    const queue = await call('review.queue', { slice: 'starter' });
    assert.deepEqual([queue.order, queue.key, queue.ids.length, queue.position], ['pick', 'starter@1', 6, 0]);
    assert.deepEqual(await call('review.position', { key: queue.key, position: 2 }), { ok: true });
    assert.equal((await call('review.queue', { slice: 'starter', order: 'noise' })).position, 2);
    const kept = await call('review.decide', { id: queue.ids[0]!, decision: { kind: 'keep' }, slice: 'starter' });
    assert.equal(kept.description, `keep #${queue.ids[0]}`);
    assert.equal((await call('review.summary', { slice: 'starter' })).kept, 1);
    await call('labels.undo', {});
    const preview = await call('review.acceptAll', { ids: [...queue.ids], minNoise: 0, dryRun: true });
    assert.equal(preview.edit, null);
    // Every unreviewed sample of the queue whose scores suggest another label, and no other.
    const open = new Set((await call('samples.query', { query: 'suggested != label and reviewed = false and excluded = false' })).ids);
    assert.equal(preview.count, [...queue.ids].filter((i) => open.has(i)).length);
  });

  it('splits: make a leak-free split (one undoable edit), then check it for leaks', async () => {
    const made = await call('splits.make', { shares: [{ name: 'train', ratio: 0.75 }, { name: 'val', ratio: 0.25 }], seed: 1 });
    assert.equal(made.parts.reduce((a, p) => a + p.samples, 0), fixture.good);
    assert.equal(made.leaksAfter, 0);
    assert.equal((await call('samples.query', { query: 'split = val' })).ids.length, made.parts[1]!.samples);
    const leaks = await call('splits.leaks', { limit: 5 });
    assert.equal(leaks.pairs, 0);
    assert.equal((await call('samples.query', { query: 'leaks = true' })).ids.length, 0);
    await call('labels.undo', {});
    assert.equal((await call('samples.query', { query: 'split = val' })).ids.length, 0);
  });

  it('reference: a validation set toward a folder of squares, and its report with the reference on the map', async () => {
    const set = await runJob(call('reference.validationSet', { reference: join(fixture.root, 'square'), n: 4, name: 'toward-squares' }));
    assert.equal((set.result as ValidationSetResult).slice.mode, 'target');
    const report = await runJob(call('reference.report', { slice: 'toward-squares', reference: join(fixture.root, 'square') }));
    const r = report.result as SliceReport;
    assert.equal(r.classMix?.find((c) => c.label === 'square')?.slice, 1);
    assert.equal(r.referencePoints?.x.length, fixture.perClass);
    await assert.rejects(call('reference.report', { slice: 'no-such-slice' }), (e: RpcError) => e.code === 'not_found');
  });

  it('jobs: list, get, cancel (nothing running), resume (a finished job is refused)', async () => {
    const jobs = await call('jobs.list', {});
    assert.deepEqual(new Set(jobs.map((j) => j.kind)), new Set(['import', 'embed', 'map', 'curate', 'export', 'validation-set', 'slice-report']));
    const exportJob = jobs.find((j) => j.kind === 'export')!;
    assert.equal((await call('jobs.get', { jobId: exportJob.id })).state, 'done');
    assert.deepEqual(await call('jobs.cancel', { jobId: exportJob.id }), { cancelled: false });
    await assert.rejects(call('jobs.resume', { jobId: exportJob.id }), (e: RpcError) => e.code === 'conflict');
  });

  it('called every method of the contract', () => {
    const missing = (Object.keys(contract) as Method[]).filter((m) => !called.has(m));
    assert.deepEqual(missing, [], `not exercised here: ${missing.join(', ')}`);
  });
});
