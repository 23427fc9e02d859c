import { sliceReportParams } from '../../../src-shared/contract/reference';
import type { SliceReport } from '../../../src-shared/model/reference';
import { openProject } from '../open-project';
import { printResult, progressPrinter } from '../output';
import { numberFlag, parseFlags } from '../flags';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow report --project FILE --slice NAME[@VERSION] [--reference DIR] [--seed S] [--model M] [--json]';

export async function runReportCommand(opts: { project?: string; slice?: string; reference?: string; seed?: string; model?: string; json: boolean }): Promise<void> {
  const params = parseFlags(sliceReportParams, { slice: opts.slice, reference: opts.reference, seed: numberFlag(opts.seed), model: opts.model });
  const bar = progressPrinter('report');
  const project = openProject(opts.project, { access: 'read', events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  try {
    project.embeddings.requireActive();
    project.slices.resolve(params.slice);
  } catch (err) {
    await project.close();
    throw err;
  }
  const r = await runJobToEnd(project, 'slice-report', project.startSliceReport(params), 'report');
  await project.close();
  printResult(opts.json, r, () => reportText(r));
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function mmdLine(what: string, value: number, random: number): string {
  return `${what}: ${value.toFixed(4)} (random sets of this size: ${random.toFixed(4)}; ratio ${(value / random).toFixed(2)})`;
}

function reportText(r: SliceReport): string {
  const c = r.coverage;
  const lines = [
    `slice "${r.slice.name}" version ${r.slice.version} (${r.slice.mode}): ${r.size} of ${r.poolSize} pool samples`,
    ...(r.reference ? [`reference: ${r.reference.images} images in ${r.reference.root}${r.reference.failedCount ? ` (${r.reference.failedCount} could not be embedded)` : ''}`] : []),
    ...(r.mmdToReference !== null ? [mmdLine('MMD to the reference', r.mmdToReference, r.randomMmdToReference!)] : []),
    mmdLine('MMD to the pool', r.mmdToPool, r.randomMmdToPool),
    `cluster coverage: ${c.hit} of ${c.k} pool clusters (${pct(c.share)}), holding ${pct(c.poolCovered)} of the pool` +
      (c.referenceClusters !== null ? `; ${c.referenceHit} of the ${c.referenceClusters} clusters the reference occupies, holding ${pct(c.referenceCovered ?? 0)} of it` : ''),
  ];
  if (r.classMix) {
    lines.push(`class mix (slice / pool${r.reference ? ' / reference' : ''}):`);
    for (const m of r.classMix) lines.push(`  ${m.label ?? '(unlabelled)'}: ${pct(m.slice)} / ${pct(m.pool)}${m.reference !== null ? ` / ${pct(m.reference)}` : ''}`);
  }
  lines.push(...r.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}
