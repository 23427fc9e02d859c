import { similarQuery } from '../../../src-shared/contract/embed';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = 'winnow similar --project FILE (--id ID | --image FILE) [--k 20] [--json]';

export async function runSimilar(opts: { project?: string; id?: string; image?: string; k?: string; json: boolean }): Promise<void> {
  if ((opts.id === undefined) === (opts.image === undefined)) throw new CliError('give either --id ID or --image FILE');
  const { id, imagePath, k = 20 } = parseFlags(similarQuery, { id: numberFlag(opts.id), imagePath: opts.image, k: numberFlag(opts.k) }, { imagePath: 'image' });
  const project = openProject(opts.project, { access: 'read' });
  try {
    const res = id !== undefined ? await project.similar.bySample(id, k) : await project.similar.byImage(imagePath!, k);
    const hits = res.hits.map((h) => {
      const s = project.catalog.sample(h.sampleId);
      return { id: h.sampleId, similarity: Number(h.similarity.toFixed(6)), label: s.label, path: s.relPath };
    });
    printResult(opts.json, { query: id !== undefined ? { id } : { image: opts.image }, setId: res.setId, hits }, () =>
      hits.map((h, i) => `${String(i + 1).padStart(3)}. #${h.id}  ${h.similarity.toFixed(4)}  ${h.label ?? '(unlabelled)'}  ${h.path}`).join('\n'));
  } finally {
    await project.close();
  }
}
