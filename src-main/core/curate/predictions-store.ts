// A model's predictions, imported from the user's file (`winnow import-predictions`): checked
// whole against the project (class names, sample paths, samples left out) and stored in one
// transaction, replacing the previous import, so a bad file leaves the project as it was.
// Scoring reads them back aligned with the curate input (loadPredictions): they become the
// "model disagrees" score and join the k-NN vote in the label-noise scores.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PredictionsImportResult } from '../../../src-shared/contract/curate';
import type { Catalog } from '../catalog/catalog';
import { parsePredictions, PredictionsError } from './predictions-parse';

export { PredictionsError };

const EXAMPLES = 3;
const list = (a: string[]) => a.slice(0, EXAMPLES).map((s) => `"${s}"`).join(', ') + (a.length > EXAMPLES ? ', …' : '');

export function importPredictions(catalog: Catalog, file: string, opts: { partial?: boolean } = {}): Omit<PredictionsImportResult, 'rescored'> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PredictionsError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = parsePredictions(text, file);

  const labels = new Set(catalog.db.prepare('SELECT DISTINCT label FROM samples WHERE label IS NOT NULL').pluck().all() as string[]);
  if (!labels.size) throw new PredictionsError(`${file}: not imported, the project has no labels to compare predictions with`);
  const unknown = parsed.classes.filter((c) => !labels.has(c));
  if (unknown.length) throw new PredictionsError(`${file}: not imported, ${unknown.length} class name(s) are not labels of the project: ${list(unknown)} (labels: ${list([...labels].sort())})`);

  // Paths: a sample's path relative to its dataset folder, or an absolute path inside it.
  const rows = catalog.db.prepare('SELECT s.id, s.rel_path, d.root, s.label, s.excluded FROM samples s JOIN datasets d ON d.id = s.dataset_id').raw().all() as Array<[number, string, string | null, string | null, number]>;
  const byRel = new Map<string, number[]>();
  for (const [id, rel] of rows) byRel.set(rel, [...(byRel.get(rel) ?? []), id]);
  const byAbs = new Map<string, number>();
  for (const [id, rel, root] of rows) if (root) byAbs.set(resolve(root, rel), id);
  const ids = new Int32Array(parsed.paths.length);
  const notFound: string[] = [], ambiguous: string[] = [];
  parsed.paths.forEach((p, r) => {
    const norm = p.replace(/\\/g, '/');
    const abs = isAbsolute(norm) ? byAbs.get(resolve(norm)) : undefined;
    const rel = byRel.get(norm.replace(/^\.\//, ''));
    if (abs !== undefined) ids[r] = abs;
    else if (rel && rel.length === 1) ids[r] = rel[0];
    else if (rel) ambiguous.push(p);
    else notFound.push(p);
  });
  if (notFound.length || ambiguous.length) {
    const parts = [];
    if (notFound.length) parts.push(`${notFound.length} path(s) are not samples of the project: ${list(notFound)}`);
    if (ambiguous.length) parts.push(`${ambiguous.length} path(s) name samples in more than one dataset, give their absolute path: ${list(ambiguous)}`);
    throw new PredictionsError(`${file}: not imported, ${parts.join('; ')} (paths are relative to the dataset folder, as \`winnow scores\` prints them)`);
  }
  const covered = new Set(ids);
  const missing = rows.filter(([id, , , label, excluded]) => label !== null && !excluded && !covered.has(id));
  if (missing.length && !opts.partial) {
    const named = missing.map(([, rel]) => rel);
    throw new PredictionsError(`${file}: not imported, ${missing.length} labelled sample(s) have no prediction: ${list(named)}; add them, or import anyway with --partial`);
  }

  const put = catalog.db.prepare('INSERT INTO predictions (sample_id, probs) VALUES (?, ?)');
  const C = parsed.classes.length;
  catalog.db.transaction(() => {
    catalog.db.prepare('DELETE FROM predictions').run();
    catalog.db.prepare('INSERT OR REPLACE INTO prediction_set (id, file, kind, classes) VALUES (1, ?, ?, ?)').run(resolve(file), parsed.kind, JSON.stringify(parsed.classes));
    for (let r = 0; r < ids.length; r++) put.run(ids[r], Buffer.from(parsed.probs.slice(r * C, r * C + C).buffer));
  })();
  return { file: resolve(file), rows: ids.length, classes: parsed.classes, kind: parsed.kind, missing: missing.length };
}

/**
 * The stored predictions as n × C probabilities over `classNames` (the curate input's codes),
 * rows in `ids` order; NaN rows where a sample has none. Undefined when nothing is imported.
 */
export function loadPredictions(catalog: Catalog, ids: Int32Array, classNames: string[]): Float32Array | undefined {
  const set = catalog.db.prepare('SELECT classes FROM prediction_set WHERE id = 1').get() as { classes: string } | undefined;
  if (!set || !classNames.length) return undefined;
  const fileClasses = JSON.parse(set.classes) as string[];
  const code = new Map(classNames.map((c, t) => [c, t]));
  const C = classNames.length;
  const out = new Float32Array(ids.length * C).fill(NaN);
  const rowOf = new Map<number, number>();
  ids.forEach((id, r) => rowOf.set(id, r));
  const rows = catalog.db.prepare('SELECT sample_id, probs FROM predictions').raw().all() as Array<[number, Buffer]>;
  for (const [id, blob] of rows) {
    const r = rowOf.get(id);
    if (r === undefined) continue;
    const p = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
    out.fill(0, r * C, r * C + C);
    let kept = 0;
    fileClasses.forEach((name, t) => {
      const c = code.get(name);
      // A class that no sample carries any more (relabelled away) drops out; the rest is renormalised.
      if (c !== undefined) { out[r * C + c] += p[t]; kept += p[t]; }
    });
    if (kept > 0) for (let c = 0; c < C; c++) out[r * C + c] /= kept;
    else out.fill(NaN, r * C, r * C + C);
  }
  return out;
}

export function predictionsInfo(catalog: Catalog): { file: string; kind: string; classes: string[]; rows: number; importedAt: string } | null {
  const set = catalog.db.prepare('SELECT file, kind, classes, imported_at FROM prediction_set WHERE id = 1').get() as { file: string; kind: string; classes: string; imported_at: string } | undefined;
  if (!set) return null;
  const rows = catalog.db.prepare('SELECT COUNT(*) FROM predictions').pluck().get() as number;
  return { file: set.file, kind: set.kind, classes: JSON.parse(set.classes) as string[], rows, importedAt: set.imported_at };
}
