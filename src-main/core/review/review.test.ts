// The review loop on real projects: real PNGs, the built-in ONNX model, a real map, scores and
// slices in a SQLite file, with one label planted wrong.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { JobParams } from '../../../src-shared/contract/job-map';
import type { CurateJobResult } from '../../../src-shared/model/slice';
import type { RpcError } from '../../../src-shared/rpc/errors';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { exportLabels } from '../export';
import { runQuery } from '../query/run-query';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { mappedShapesProject } from '../../testing/mapped-project';
import { tempDir } from '../../testing/temp';
import { ReviewService } from './review-service';

const CLI = fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));
const quiet: JobEvents = { progress: () => {}, finished: () => {} };

async function curate(project: ProjectSession, params: JobParams<'curate'>): Promise<CurateJobResult> {
  const job = await project.jobs.wait(project.startCurate(params));
  assert.equal(job.state, 'done', job.error ?? '');
  return job.result as CurateJobResult;
}

describe('the review loop on a project with a planted mislabel', async () => {
  const shapes = await mappedShapesProject({ perClass: 15, k: 8, seed: 1 });
  const { dir, path, fixture } = shapes;
  let { project } = shapes;
  const db = () => project.catalog.db;
  const one = (sql: string, ...args: unknown[]) => db().prepare(sql).pluck().get(...args);
  const victim = one("SELECT id FROM samples WHERE label = 'circle' ORDER BY id LIMIT 1") as number;
  const planted: number[] = [];
  // Planted: a circle labelled stripes (an import-time mistake, so the original label is wrong too).
  db().prepare("UPDATE samples SET label = 'stripes', original_label = 'stripes' WHERE id = ?").run(victim);
  const fix = await curate(project, { mode: 'mislabeled', n: 5, name: 'fix' });
  const starter = await curate(project, { mode: 'representative', n: 6, name: 'starter', seed: 2 });
  let review = new ReviewService(project);
  const mapId = project.maps.latestId()!;
  const stateOf = (id: number) => db().prepare('SELECT label, excluded, reviewed FROM samples WHERE id = ?').get(id) as { label: string; excluded: number; reviewed: number };

  it('evidence: scores, the neighbours that voted, the reason in words, the slices', () => {
    assert.ok(fix.picks.some((p) => p.id === victim), 'the planted mislabel is flagged');
    const ev = review.evidence(victim);
    const sc = db().prepare('SELECT noise, sparseness, suggested_label AS s, suggested_confidence AS c, dup_group AS d FROM scores WHERE map_id = ? AND sample_id = ?').get(mapId, victim) as { noise: number; sparseness: number; s: string; c: number; d: number | null };
    assert.deepEqual([ev.label, ev.originalLabel, ev.suggestedLabel, ev.reviewed, ev.mapId], ['stripes', 'stripes', 'circle', false, mapId]);
    assert.deepEqual([ev.noise, ev.sparseness, ev.confidence, ev.dupGroup], [sc.noise, sc.sparseness, sc.c, sc.d]);
    assert.ok(ev.noise! > 0.5, `noise ${ev.noise}`);
    assert.equal(ev.modelLabel, null);
    // The neighbours are the map's graph row, nearest first, with their current labels.
    const map = project.maps.get(mapId);
    const row = Array.from(map.data.ids).indexOf(victim);
    const expected = Array.from(map.graph.indices.subarray(row * map.graph.k, row * map.graph.k + map.graph.k), (j) => map.data.ids[j]!);
    assert.deepEqual(ev.neighbours.map((n) => n.id), expected, 'all 8 of the k = 8 graph');
    ev.neighbours.forEach((n, t) => {
      assert.equal(n.label, project.catalog.sample(n.id).label);
      assert.ok(Math.abs(n.similarity - (1 - map.graph.distances[row * map.graph.k + t]!)) < 1e-6);
      if (t > 0) assert.ok(n.similarity <= ev.neighbours[t - 1]!.similarity);
    });
    const circles = ev.neighbours.filter((n) => n.label === 'circle').length;
    const own = ev.neighbours.filter((n) => n.label === 'stripes').length;
    assert.ok(circles >= 6, `${circles} circle neighbours`);
    const few = own === 0 ? 'none is' : own === 1 ? 'only 1 is' : `only ${own} are`;
    assert.equal(ev.reason, `${circles} of its 8 nearest neighbours are labelled circle, ${few} labelled stripes like it.`);
    // Only samples whose scores favour another label carry a suggestion: the planted one does,
    // clean shapes do not, so the filter finds the disagreement rather than every sample.
    const disagree = runQuery(project.catalog, 'suggested != label');
    const total = one('SELECT COUNT(*) FROM samples') as number;
    assert.ok(disagree.includes(victim) && disagree.length <= total / 10, `${disagree.length} of ${total} disagree`);
    const inFix = ev.slices.find((s) => s.ref === 'fix@1');
    assert.ok(inFix && /likely mislabelled: suggested "circle"/.test(inFix.reason), JSON.stringify(ev.slices));
    assert.equal(review.evidence(victim, 3).neighbours.length, 3);
    assert.throws(() => review.evidence(99_999), (e: RpcError) => e.code === 'not_found');
  });

  it('an edge-case pick that is rare for its class names the class it is near, as its nearest neighbour of another label', async () => {
    const edges = await curate(project, { mode: 'edge-cases', n: 15, name: 'edges' });
    let named = 0;
    for (const p of edges.picks) {
      const m = /^rare for its class, near "(.+)" \(score /.exec(p.reason);
      if (!m) continue;
      named++;
      const ev = review.evidence(p.id);
      const other = ev.neighbours.find((nb) => nb.label !== ev.label);
      assert.ok(other, `pick ${p.id}: a neighbour of another label`);
      assert.equal(m[1], other.label, `pick ${p.id}: ${p.reason}`);
      assert.ok(ev.slices.some((s) => s.ref === 'edges@1' && s.reason === p.reason), 'the evidence card shows the same words');
    }
    assert.ok(named > 0, JSON.stringify(edges.picks.map((p) => p.reason)));
  });

  it('evidence while the map job is still scoring says so, not "compute the map again"', () => {
    // The map job draws the map first and writes its scores last: in between, a sample of the
    // map has no score row. (Before: "the sample is not in the newest map; compute the map again".)
    db().exec('SAVEPOINT scoring');
    try {
      db().prepare('DELETE FROM scores WHERE map_id = ? AND sample_id = ?').run(mapId, victim);
      const ev = review.evidence(victim);
      assert.equal(ev.noise, null);
      assert.match(ev.reason, /computed at the end of its map job/);
      assert.ok(ev.neighbours.length > 0, 'the neighbours come from the map, which is there');
    } finally {
      db().exec('ROLLBACK TO scoring; RELEASE scoring');
    }
    assert.ok(review.evidence(victim).noise! > 0.5, 'scores back');
  });

  it('queue: noise order for a mislabelled slice, pick order for others, ids ascending for a selection', () => {
    const noise = new Map(db().prepare('SELECT sample_id, noise FROM scores WHERE map_id = ?').raw().all(mapId) as Array<[number, number]>);
    const q = review.queue({ slice: 'fix' });
    assert.deepEqual([q.order, q.key, q.position, q.ids.length], ['noise', 'fix@1', 0, 5]);
    for (let t = 1; t < q.ids.length; t++) assert.ok(noise.get(q.ids[t - 1]!)! >= noise.get(q.ids[t]!)!);
    const s = review.queue({ slice: 'starter' });
    assert.deepEqual([s.order, [...s.ids]], ['pick', starter.picks.map((p) => p.id)]);
    const sel = review.queue({ ids: Int32Array.of(9, 3, 5, 3) });
    assert.deepEqual([sel.order, sel.key, [...sel.ids]], ['id', 'selection', [3, 5, 9]]);
    const all = Int32Array.from({ length: 45 }, (_, i) => i + 1);
    const bySparse = review.queue({ ids: all, order: 'sparseness' }).ids;
    const sparse = new Map(db().prepare('SELECT sample_id, sparseness FROM scores WHERE map_id = ?').raw().all(mapId) as Array<[number, number]>);
    for (let t = 1; t < 45; t++) assert.ok(sparse.get(bySparse[t - 1]!)! >= sparse.get(bySparse[t]!)!);
    const labels = Array.from(review.queue({ ids: all, order: 'label' }).ids, (id) => project.catalog.sample(id).label);
    assert.deepEqual(labels, [...labels].sort());
    assert.deepEqual([...review.queue({ slice: 'fix', order: 'id' }).ids], fix.picks.map((p) => p.id).sort((a, b) => a - b));
  });

  const others = () => (db().prepare("SELECT id FROM samples WHERE id != ? ORDER BY id LIMIT 4").pluck().all(victim) as number[]);

  it('each decision is one edit that also marks the sample reviewed; undo restores both fields, redo sets them again', () => {
    const [x, y, z] = others() as [number, number, number];
    const acc = review.decide(victim, { kind: 'accept' });
    assert.equal(acc.description, `accept circle for #${victim}`);
    assert.equal(acc.suggestedLabel, 'circle');
    assert.deepEqual(stateOf(victim), { label: 'circle', excluded: 0, reviewed: 1 });
    const rows = project.labels.history(victim).filter((h) => h.action === 'edit');
    assert.deepEqual(rows.map((h) => [h.field, h.newValue, h.suggestedLabel]), [['label', 'circle', 'circle'], ['reviewed', '1', 'circle']]);
    assert.equal(project.labels.undo().description, `accept circle for #${victim}`);
    assert.deepEqual(stateOf(victim), { label: 'stripes', excluded: 0, reviewed: 0 });
    assert.equal(project.labels.redo().description, `accept circle for #${victim}`);
    assert.deepEqual(stateOf(victim), { label: 'circle', excluded: 0, reviewed: 1 });
    // Once accepted, the stale scores no longer offer the same suggestion again.
    const after = review.evidence(victim);
    assert.equal(after.suggestedLabel, null);
    assert.match(after.reason, /changed to circle, as the scores suggested; the scores shown are from before/);

    const before = stateOf(x);
    const typed = review.decide(x, { kind: 'label', label: ' square ' });
    assert.equal(typed.description, `label square for #${x}`);
    assert.deepEqual(stateOf(x), { label: 'square', excluded: 0, reviewed: 1 });
    project.labels.undo();
    assert.deepEqual(stateOf(x), before);
    project.labels.redo();

    const keptLabel = stateOf(y).label;
    assert.equal(review.decide(y, { kind: 'keep' }).description, `keep #${y}`);
    assert.deepEqual(stateOf(y), { label: keptLabel, excluded: 0, reviewed: 1 });
    project.labels.undo();
    assert.deepEqual(stateOf(y), { label: keptLabel, excluded: 0, reviewed: 0 });
    project.labels.redo();

    assert.equal(review.decide(z, { kind: 'exclude' }).description, `exclude #${z}`);
    assert.deepEqual([stateOf(z).excluded, stateOf(z).reviewed], [1, 1]);
    project.labels.undo();
    assert.deepEqual([stateOf(z).excluded, stateOf(z).reviewed], [0, 0]);
    project.labels.redo();
    assert.equal(review.evidence(z).reviewed, true);

    assert.throws(() => review.decide(x, { kind: 'label', label: '  ' }), (e: RpcError) => e.code === 'bad_request' && /empty/.test(e.message));
    db().prepare('UPDATE scores SET suggested_label = NULL WHERE map_id = ? AND sample_id = ?').run(mapId, y);
    assert.throws(() => review.decide(y, { kind: 'accept' }), (e: RpcError) => e.code === 'precondition' && /no suggested label/.test(e.message));
  });

  it('the summary counts reviewed, changed, accepted, kept and excluded from the history; an undo takes a decision back', () => {
    const [x, y, z, w] = others() as [number, number, number, number];
    const ids = Int32Array.of(victim, x, y, z, w);
    const changed = (project.catalog.sample(x).originalLabel !== 'square' ? 1 : 0) + 1;
    assert.deepEqual(review.summary({ ids }), { total: 5, reviewed: 4, changed, accepted: 1, kept: 1, excluded: 1 });
    project.labels.undo();
    assert.deepEqual(review.summary({ ids }), { total: 5, reviewed: 3, changed, accepted: 1, kept: 1, excluded: 0 });
    project.labels.redo();
    assert.equal(review.summary({ slice: 'fix' }).total, 5);
    assert.deepEqual(runQuery(project.catalog, 'reviewed = true').length, 4);
    // An accepted suggestion is a corrected label like any other: the labels CSV carries it.
    const csv = join(dir, 'labels.csv');
    exportLabels(project.catalog, { out: csv });
    assert.ok(readFileSync(csv, 'utf8').split('\n').includes(`${project.catalog.sample(victim).relPath},circle,stripes,${fixture.root}`));
  });

  it('a reviewed sample stops being flagged: kept, it is no longer picked as mislabelled', async () => {
    const y = others()[1]!;
    // Six more import-time mistakes (circles labelled square), so that fresh scores have open disagreements.
    planted.push(...(db().prepare("SELECT id FROM samples WHERE label = 'circle' AND reviewed = 0 ORDER BY id DESC LIMIT 6").pluck().all() as number[]));
    for (const id of planted) db().prepare("UPDATE samples SET label = 'square', original_label = 'square' WHERE id = ?").run(id);
    const again = await curate(project, { mode: 'mislabeled', n: 45, name: 'fix-again' });
    assert.ok(!again.picks.some((p) => p.id === victim || p.id === y), 'reviewed samples are skipped');
    assert.equal(again.picks.length, 45 - 4, 'every labelled sample not reviewed (the excluded one was reviewed too)');
    // Field against field on the fresh scores: an unreviewed sample whose suggestion differs from its label.
    const open = runQuery(project.catalog, 'suggested != label and reviewed = false');
    assert.ok(!open.includes(victim));
    const found = planted.filter((id) => open.includes(id)).length;
    assert.ok(found >= 5 && open.length <= planted.length + 3, `${found} of ${planted.length} planted among ${open.length} open`);
  });

  it('accept-all: the preview counts what the edit then changes, as one undo', () => {
    const src = { slice: 'fix-again' };
    const high = review.acceptAll({ ...src, minNoise: 0.9, dryRun: true });
    const low = review.acceptAll({ ...src, minNoise: 0, dryRun: true });
    assert.equal(low.edit, null);
    const expected = (t: number) => db().prepare('SELECT COUNT(*) FROM scores sc JOIN samples s ON s.id = sc.sample_id WHERE sc.map_id = (SELECT MAX(id) FROM maps) AND sc.noise >= ? AND s.reviewed = 0 AND s.excluded = 0 AND sc.suggested_label IS NOT NULL AND s.label IS NOT sc.suggested_label').pluck().get(t);
    assert.deepEqual([high.count, low.count], [expected(0.9), expected(0)]);
    assert.ok(high.count <= low.count && low.count >= 5, `${high.count} ≤ ${low.count}`);
    const before = new Map((db().prepare('SELECT id, label FROM samples').raw().all() as Array<[number, string]>));
    // A threshold that takes the five noisiest (rounded down, so ties at it come along).
    const fifth = db().prepare('SELECT sc.noise FROM scores sc JOIN samples s ON s.id = sc.sample_id WHERE sc.map_id = (SELECT MAX(id) FROM maps) AND s.reviewed = 0 AND s.excluded = 0 ORDER BY sc.noise DESC LIMIT 1 OFFSET 4').pluck().get() as number;
    const t = Math.floor(fifth * 1000) / 1000;
    const preview = review.acceptAll({ ...src, minNoise: t, dryRun: true }).count;
    assert.equal(preview, expected(t));
    const picked = review.acceptAll({ ...src, minNoise: t });
    assert.equal(picked.count, preview);
    assert.ok(picked.count >= 4, `${picked.count} accepted`);
    assert.equal(picked.edit!.description, `accept ${picked.count} suggestions (noise ≥ ${t})`);
    assert.equal(picked.edit!.changed.ids.length, picked.count);
    const s = review.summary(src);
    assert.equal(s.accepted, picked.count);
    assert.equal(review.acceptAll({ ...src, minNoise: t, dryRun: true }).count, 0, 'accepted samples are reviewed now');
    project.labels.undo();
    const after = new Map((db().prepare('SELECT id, label FROM samples').raw().all() as Array<[number, string]>));
    assert.deepEqual(after, before, 'one undo restores every label');
    assert.equal(review.summary(src).accepted, 0);
  });

  it('positions are stored per queue and survive closing and reopening the project', async () => {
    review.setPosition('fix@1', 3);
    review.setPosition('selection', 1);
    review.setPosition('fix@1', 4);
    await project.close();
    project = ProjectSession.open(path, quiet);
    review = new ReviewService(project);
    assert.equal(review.queue({ slice: 'fix' }).position, 4);
    assert.equal(review.queue({ ids: Int32Array.of(1, 2, 3) }).position, 1);
    assert.equal(review.queue({ ids: Int32Array.of(1) }).position, 1, 'clamped to the queue length');
    assert.equal(review.queue({ slice: 'starter' }).position, 0);
    const expected = review.summary({ slice: 'fix' });
    await project.close();
    // The CLI prints the same summary (it opens the project on its own).
    const cli = spawnSync(process.execPath, [CLI, 'review-summary', '--project', path, '--slice', 'fix', '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), { slice: 'fix@1', ...expected });
    assert.ok(expected.reviewed >= 1);
    const text = spawnSync(process.execPath, [CLI, 'review-summary', '--project', path, '--slice', 'fix'], { encoding: 'utf8' });
    assert.match(text.stdout, new RegExp(`^fix@1: reviewed ${expected.reviewed} of 5, changed ${expected.changed} \\(accepted suggestions ${expected.accepted}\\)`));
    const missing = spawnSync(process.execPath, [CLI, 'review-summary', '--project', path], { encoding: 'utf8' });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--slice NAME is required/);
  });
});

describe('review without a map', async () => {
  it('evidence is clear with null scores; accepting is refused, keeping works', async () => {
    const dir = tempDir();
    const fixture = await makeFixtureFolder(join(dir, 'raw'), { perClass: 2 });
    const project = ProjectSession.create(join(dir, 'raw.winnow'), quiet);
    await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
    const review = new ReviewService(project);
    const ev = review.evidence(1);
    assert.deepEqual([ev.noise, ev.sparseness, ev.suggestedLabel, ev.confidence, ev.mapId, ev.neighbours.length], [null, null, null, null, null, 0]);
    assert.match(ev.reason, /compute the map first/);
    assert.throws(() => review.decide(1, { kind: 'accept' }), (e: RpcError) => e.code === 'precondition' && /compute the map first/.test(e.message));
    assert.equal(review.decide(1, { kind: 'keep' }).description, 'keep #1');
    assert.deepEqual([...review.queue({ ids: Int32Array.of(2, 1), order: 'noise' }).ids], [1, 2], 'unscored: by id');
    assert.deepEqual(review.acceptAll({ ids: Int32Array.of(1, 2), minNoise: 0, dryRun: true }), { count: 0, edit: null });
    assert.throws(() => review.queue({}), (e: RpcError) => e.code === 'bad_request');
    await project.close();
  });
});
