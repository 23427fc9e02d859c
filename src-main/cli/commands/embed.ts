import type { EmbedJobResult } from '../../../src-shared/model/embedding';
import type { Device } from '../../core/embed/model';
import { openProject } from '../open-project';
import { CliError, printResult, progressPrinter } from '../output';
import { runJobToEnd } from '../run-job';

export const usage = 'winnow embed --project FILE [--model builtin|FILE.onnx] [--spec FILE.json] [--device auto|cpu|cuda|dml|coreml] [--batch N] [--json]';

const DEVICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml'];

export async function runEmbedCommand(opts: { project?: string; model?: string; spec?: string; device?: string; batch?: string; json: boolean }): Promise<void> {
  if (opts.device && !DEVICES.includes(opts.device)) throw new CliError(`--device must be one of ${DEVICES.join(', ')}`);
  const batch = opts.batch === undefined ? undefined : Number(opts.batch);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 1024)) throw new CliError('--batch must be an integer from 1 to 1024');
  const bar = progressPrinter('embed');
  const project = openProject(opts.project, { events: { progress: (p) => bar.update(p), finished: () => bar.done() } });
  const jobId = project.startEmbed({ model: opts.model, spec: opts.spec, device: opts.device as Device | undefined, batch });
  const job = await runJobToEnd(project, jobId, 'embedding');
  await project.close();
  const r = job.result as EmbedJobResult;
  printResult(opts.json, { jobId, ...r }, () => [
    `embedded ${r.embedded} images with ${r.model} on ${r.provider.toUpperCase()} (${r.imagesPerSecond.toFixed(0)} images/s; ${r.skipped} already done)`,
    ...(r.fallbackReason ? [`note: ${r.fallbackReason}`] : []),
    ...(r.failed.length ? [`${r.failed.length} image(s) could not be embedded:`, ...r.failed.slice(0, 50).map((f) => `  sample ${f.sampleId}: ${f.reason}`)] : []),
  ].join('\n'));
}
