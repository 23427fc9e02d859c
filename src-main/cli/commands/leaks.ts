import { splitsContract } from '../../../src-shared/contract/splits';
import { checkLeaks } from '../../core/splits/leak-check';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { printResult } from '../output';

export const usage = 'winnow leaks --project FILE [--limit N] [--offset N] [--json]   (duplicates across train/val/test)';

export async function runLeaks(opts: { project?: string; limit?: string; offset?: string; json: boolean }): Promise<void> {
  const { offset, limit } = parseFlags(splitsContract['splits.leaks'].args, { offset: numberFlag(opts.offset), limit: numberFlag(opts.limit ?? (opts.json ? '1000' : '20')) });
  // Write access: the first check stores appearance signatures and the groups the `leaks` query field reads.
  const project = openProject(opts.project);
  try {
    const r = await checkLeaks(project.catalog, { offset, limit });
    const shown = r.page.length;
    printResult(opts.json, { ...r, leakingIds: Array.from(r.leakingIds) }, () => [
      `splits: ${r.splits.map((s) => `${s.name ?? '(none)'} ${s.samples}`).join(', ')}`,
      `${r.pairs} leak pair${r.pairs === 1 ? '' : 's'} (${r.exactPairs} exact) in ${r.groups} duplicate group${r.groups === 1 ? '' : 's'}; ${r.samples} samples have a copy in another split`,
      ...r.bySplitPair.map((c) => `  ${c.a} ↔ ${c.b}: ${c.pairs} pairs (${c.exact} exact), ${c.samplesA} in ${c.a}, ${c.samplesB} in ${c.b}`),
      ...(r.byClass.length ? ['by class (leaking samples / pairs):', `  ${r.byClass.map((c) => `${c.label ?? '(unlabelled)'} ${c.samples}/${c.pairs}`).join(', ')}`] : []),
      ...(r.mixedLabelPairs ? [`${r.mixedLabelPairs} pairs carry different labels`] : []),
      ...r.page.map((p) => `  #${p.a.id} ${p.a.split} ${p.a.label ?? '-'} ${p.a.path}  ↔  #${p.b.id} ${p.b.split} ${p.b.label ?? '-'} ${p.b.path}${p.exact ? '  (exact)' : ''}`),
      ...(r.pairs > offset + shown ? [`  … ${r.pairs - offset - shown} more (--offset ${offset + shown}, or --json)`] : []),
      `rules: exact hashes, appearance (${r.sources.appearance} signatures)${r.sources.embeddingMapId !== null ? `, embedding (map ${r.sources.embeddingMapId})` : ', no embedding scores (winnow map adds them)'}; query them with: leaks = true`,
    ].join('\n'));
  } finally {
    await project.close();
  }
}
