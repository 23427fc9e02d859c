import { embedParams } from '../../../src-shared/contract/embed';
import { numberFlag, parseFlags } from '../flags';
import { openProject } from '../open-project';
import { printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow embed --project FILE [--model builtin|builtin-float|builtin-accurate|FILE.onnx] [--spec FILE.json] [--device auto|cpu|cuda|dml|coreml] [--batch N] [--json]';

export async function runEmbedCommand(opts: { project?: string; model?: string; spec?: string; device?: string; batch?: string; json: boolean }): Promise<void> {
  const params = parseFlags(embedParams, { model: opts.model, spec: opts.spec, device: opts.device, batch: numberFlag(opts.batch) });
  const bar = progressPrinter('embed');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  const jobId = project.startEmbed(params);
  const r = await runJobToEnd(project, 'embed', jobId, 'embedding');
  await project.close();
  printResult(opts.json, { jobId, ...r }, () => [
    `embedded ${r.embedded} images with ${r.model} on ${r.provider.toUpperCase()} (${r.imagesPerSecond.toFixed(0)} images/s; ${r.skipped} already done)`,
    ...(r.fallbackReason ? [`note: ${r.fallbackReason}`] : []),
    ...(r.failed.length ? [`${r.failed.length} image(s) could not be embedded:`, ...r.failed.slice(0, 50).map((f) => `  sample ${f.sampleId}: ${f.reason}`)] : []),
  ].join('\n'));
}
