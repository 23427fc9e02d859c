import { writeFileSync, renameSync } from 'node:fs';
import { writeNpy } from '../../core/embed/npy';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = 'winnow vectors --project FILE --out FILE.npy [--json]';

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
