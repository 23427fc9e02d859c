import { writeFileSync, renameSync } from 'node:fs';
import { importVectors } from '../../core/embed/import-vectors';
import { writeNpy } from '../../core/embed/npy';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = `winnow vectors --project FILE --out FILE.npy [--json]
  winnow vectors import SHARD_DIR|FILE.npy --project FILE [--ids FILE.csv] [--model-name NAME] [--allow-missing] [--json]`;

/** Vectors made elsewhere (embed-shard output, or a .npy + ids CSV of your own model) into the project. */
export async function runVectorsImport(source: string | undefined, opts: { project?: string; ids?: string; modelName?: string; allowMissing: boolean; json: boolean }): Promise<void> {
  if (!source) throw new CliError('name a folder of shards (winnow embed-shard --out) or a .npy file');
  const project = openProject(opts.project);
  try {
    const r = importVectors(project.catalog, { source, ids: opts.ids, modelName: opts.modelName, allowMissing: opts.allowMissing });
    printResult(opts.json, r, () => `imported ${r.imported} × ${r.dim} vectors (${r.model}${r.shards ? `, ${r.shards} shards` : ''})${r.failed ? `; ${r.failed} image(s) failed to embed` : ''}${r.missing ? `; ${r.missing} sample(s) still without a vector` : ''}`);
  } finally {
    await project.close();
  }
}

export async function runVectors(opts: { project?: string; out?: string; json: boolean }): Promise<void> {
  if (!opts.out || !opts.out.endsWith('.npy')) throw new CliError('--out FILE.npy is required');
  const project = openProject(opts.project, { access: 'read' });
  try {
    const set = project.embeddings.requireActive();
    const table = project.embeddings.load(set.id);
    const idsPath = opts.out.replace(/\.npy$/, '.ids.csv');
    const lines = ['row,sample_id,path,label'];
    table.ids.forEach((id, row) => {
      const s = project.catalog.sample(id);
      lines.push([row, id, csvField(s.relPath), csvField(s.label ?? '')].join(','));
    });
    writeNpy(opts.out, table.vectors, table.ids.length, table.dim);
    writeFileSync(`${idsPath}.partial`, `${lines.join('\n')}\n`);
    renameSync(`${idsPath}.partial`, idsPath);
    printResult(opts.json, { out: opts.out, ids: idsPath, rows: table.ids.length, dim: table.dim, model: set.modelName }, () => `wrote ${table.ids.length} × ${table.dim} float32 vectors (${set.modelName}) to ${opts.out} and ${idsPath}`);
  } finally {
    await project.close();
  }
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
