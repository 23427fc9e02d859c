// For people who keep their images where they are: a CSV of the labels corrected in Winnow
// (path relative to the dataset folder, new label, original label), in the same shape the
// import reads back with --labels. Written to a temporary name and renamed, never half-written.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { csvLine } from './csv-write';
import { describeFsError } from './destination';

export interface LabelsExportSummary {
  out: string;
  rows: number;
  /** Samples per dataset in the file. */
  datasets: Array<{ id: number; name: string; root: string | null; rows: number }>;
}

export const LABELS_COLUMNS = ['path', 'label', 'original_label', 'dataset'] as const;

export function exportLabels(catalog: Catalog, opts: { out: string; replace?: boolean }): LabelsExportSummary {
  const out = resolve(opts.out);
  if (existsSync(out)) {
    if (statSync(out).isDirectory()) throw new RpcError('bad_request', `${out} is a folder; name the CSV file to write`);
    if (!opts.replace) throw new RpcError('conflict', `${out} already exists; use replace to overwrite it`);
  }
  const rows = catalog.db.prepare(`SELECT s.rel_path AS relPath, s.label, s.original_label AS originalLabel, d.id AS datasetId, d.name, d.root
    FROM samples s JOIN datasets d ON d.id = s.dataset_id
    WHERE s.label IS NOT s.original_label ORDER BY d.id, s.rel_path`).all() as Array<{ relPath: string; label: string | null; originalLabel: string | null; datasetId: number; name: string; root: string | null }>;

  let text = csvLine([...LABELS_COLUMNS]);
  const datasets = new Map<number, LabelsExportSummary['datasets'][number]>();
  for (const r of rows) {
    text += csvLine([r.relPath, r.label, r.originalLabel, r.root ?? `builtin:${r.name}`]);
    const d = datasets.get(r.datasetId) ?? { id: r.datasetId, name: r.name, root: r.root, rows: 0 };
    d.rows++;
    datasets.set(r.datasetId, d);
  }
  const tmp = join(dirname(out), `.${basename(out)}.winnow-tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw describeFsError(err, `cannot write ${out}`);
  }
  return { out, rows: rows.length, datasets: [...datasets.values()] };
}
