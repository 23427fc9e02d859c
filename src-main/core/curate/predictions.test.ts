// Importing a model's predictions: good CSV and JSON files land in the project and become the
// "model disagrees" score; malformed ones are refused whole with a message naming the problem.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { makeFixtureFolder, FIXTURE_CLASSES } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { importPredictions, loadPredictions, predictionsInfo, PredictionsError } from './predictions-store';
import { parsePredictions } from './predictions-parse';
import { readScoreColumns } from './score-columns';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

describe('import-predictions', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'shapes'), { perClass: 6 });
  const project = ProjectSession.create(join(dir, 'shapes.winnow'), quiet);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
  const samples = project.catalog.db.prepare('SELECT id, rel_path AS path, label FROM samples ORDER BY id').all() as Array<{ id: number; path: string; label: string }>;
  const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const classes = [...FIXTURE_CLASSES];
  // A model that is right except on the first sample, which it calls a square with p 0.9.
  const wrong = samples.find((s) => s.label === 'circle')!;
  const probsOf = (s: { path: string; label: string }) => classes.map((c) => (s === wrong ? (c === 'square' ? 0.9 : 0.05) : c === s.label ? 0.8 : 0.1));
  const goodCsv = ['path,' + classes.join(','), ...samples.map((s) => `${s.path},${probsOf(s).join(',')}`)].join('\n');
  const stored = () => project.catalog.db.prepare('SELECT COUNT(*) FROM predictions').pluck().get() as number;

  it('imports per-class probabilities from CSV and reads them back in the curate input’s class order', () => {
    const res = importPredictions(project.catalog, file('good.csv', goodCsv));
    assert.equal(res.rows, samples.length);
    assert.equal(res.kind, 'probabilities');
    assert.deepEqual(res.classes, classes);
    assert.equal(res.missing, 0);
    const order = ['stripes', 'circle', 'square'];
    const probs = loadPredictions(project.catalog, Int32Array.from(samples.map((s) => s.id)), order)!;
    const r = samples.indexOf(wrong);
    assert.ok(Math.abs(probs[r * 3 + 2] - 0.9) < 1e-6, 'square is the third class of the input');
    assert.ok(Math.abs(probs[r * 3 + 1] - 0.05) < 1e-6);
    assert.equal(predictionsInfo(project.catalog)!.rows, samples.length);
  });

  it('imports top-1 + confidence from JSON, replacing the previous import', () => {
    const rows = samples.slice(1).map((s) => ({ path: s.path, label: s.label, confidence: 0.7 }));
    const res = importPredictions(project.catalog, file('top1.json', JSON.stringify(rows)), { partial: true });
    assert.equal(res.kind, 'top-1');
    assert.equal(res.rows, samples.length - 1);
    assert.equal(res.missing, 1);
    assert.equal(stored(), samples.length - 1);
    const probs = loadPredictions(project.catalog, Int32Array.from(samples.map((s) => s.id)), classes)!;
    assert.ok(Number.isNaN(probs[0]), 'the sample left out has no prediction');
  });

  it('accepts {classes, predictions} JSON with probability arrays, and object-valued probabilities', () => {
    const a = { classes, predictions: samples.map((s) => ({ path: s.path, probabilities: probsOf(s) })) };
    assert.equal(importPredictions(project.catalog, file('a.json', JSON.stringify(a))).rows, samples.length);
    const b = samples.map((s) => ({ path: s.path, probabilities: Object.fromEntries(classes.map((c, t) => [c, probsOf(s)[t]])) }));
    assert.equal(importPredictions(project.catalog, file('b.json', JSON.stringify(b))).rows, samples.length);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['unknown class', goodCsv.replace('square', 'rhombus'), /not labels of the project: "rhombus"/],
    ['unknown path', goodCsv + '\nnowhere/x.png,0.2,0.3,0.5', /1 path\(s\) are not samples of the project: "nowhere\/x.png"/],
    ['a missing row', goodCsv.split('\n').slice(0, -1).join('\n'), /1 labelled sample\(s\) have no prediction: ".*"; add them, or import anyway with --partial/],
    ['a short row', goodCsv.replace(/\n([^\n]*),0\.1\n/, '\n$1\n'), /rows with the wrong number of fields: 1 \(line \d+ has 3, the header 4\)/],
    ['a value that is no probability', goodCsv.replace(',0.8,', ',abc,'), /values that are not probabilities between 0 and 1: 1 \(line \d+, column "\w+": "abc"\)/],
    ['a row that does not sum to 1', goodCsv.replace(',0.8,', ',0.3,'), /probabilities that do not sum to 1/],
    ['a path given twice', goodCsv + '\n' + goodCsv.split('\n')[1], /paths given twice/],
    ['no path column', goodCsv.replace('path,', 'file,'), /no "path" column/],
    ['an empty file', '', /the file is empty/],
    ['invalid JSON', '[{"path": ', /not valid JSON/],
    ['a probability array of the wrong length', JSON.stringify({ classes, predictions: [{ path: samples[0].path, probabilities: [1] }] }), /probability arrays of the wrong length/],
    ['a confidence above 1', JSON.stringify(samples.map((s) => ({ path: s.path, label: s.label, confidence: 1.5 }))), /confidences that are not numbers between 0 and 1/],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what} and keeps the previous import`, () => {
      importPredictions(project.catalog, file('good.csv', goodCsv));
      const before = project.catalog.db.prepare('SELECT sample_id, probs FROM predictions ORDER BY sample_id').raw().all();
      assert.throws(() => importPredictions(project.catalog, file('bad.txt', text)), (err: Error) => err instanceof PredictionsError && message.test(err.message), `expected ${message}`);
      assert.deepEqual(project.catalog.db.prepare('SELECT sample_id, probs FROM predictions ORDER BY sample_id').raw().all(), before);
    });
  }

  it('reports every kind of problem at once, with examples', () => {
    const bad = goodCsv.replace(',0.8,', ',abc,').replace(',0.8,', ',-1,') + '\nshort,0.5';
    assert.throws(() => parsePredictions(bad, 'bad.csv'), (err: Error) =>
      /values that are not probabilities between 0 and 1: 2 \(/.test(err.message) && /rows with the wrong number of fields: 1/.test(err.message) && /do not sum to 1/.test(err.message));
  });

  it('after a map, the scores carry "model disagrees" and the label-noise score follows the model', async () => {
    importPredictions(project.catalog, file('good.csv', goodCsv));
    const e = await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    assert.equal(e.state, 'done', e.error ?? '');
    const m = await project.jobs.wait(project.startMap({ k: 5, seed: 1 }));
    assert.equal(m.state, 'done', m.error ?? '');
    const cols = readScoreColumns(project.catalog, project.maps.latestId())!;
    const r = Array.from(cols.ids).indexOf(wrong.id);
    assert.ok(Math.abs(cols.modelDisagrees[r] - 0.95) < 1e-5, `model disagrees ${cols.modelDisagrees[r]}`);
    const others = Array.from(cols.modelDisagrees).filter((_, t) => t !== r);
    assert.ok(others.every((v) => Math.abs(v - 0.2) < 1e-5));
    const row = project.catalog.db.prepare('SELECT model_label, noise FROM scores WHERE sample_id = ?').get(wrong.id) as { model_label: string; noise: number };
    assert.equal(row.model_label, 'square');
    // The fixture's classes are far apart, so only the model makes this sample suspect: its
    // label-noise score is now the highest.
    assert.equal(Math.max(...cols.noise), row.noise);
    await project.close();
  });
});
