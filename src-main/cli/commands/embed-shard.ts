import { embedParams } from '../../../src-shared/contract/embed';
import { embedShard } from '../../core/embed/embed-shard';
import { parseShard } from '../../core/embed/vector-shards';
import { numberFlag, parseFlags } from '../flags';
import { CliError, printResult } from '../output';

export const usage = 'winnow embed-shard --files LIST --shard I/N --out DIR [--model builtin|FILE.onnx] [--spec FILE.json] [--device auto|cpu|cuda] [--batch N] [--json]';

/**
 * One shard of a file list, embedded without a project: what each task of a distributed run
 * executes (examples/dask). Ctrl+C stops it; the shard is written only when complete, so the
 * same command starts it again.
 */
export async function runEmbedShardCommand(opts: { files?: string; shard?: string; out?: string; model?: string; spec?: string; device?: string; batch?: string; json: boolean }): Promise<void> {
  if (!opts.files) throw new CliError('--files LIST is required (a text file, one image path per line)');
  if (!opts.out) throw new CliError('--out DIR is required');
  if (!opts.shard) throw new CliError('--shard I/N is required (e.g. 0/4: the first of four shards)');
  // The same model, device and batch rules as `winnow embed` and the app.
  const params = parseFlags(embedParams, { model: opts.model, spec: opts.spec, device: opts.device, batch: numberFlag(opts.batch) });
  const { index, count } = parseShard(opts.shard);
  const abort = new AbortController();
  const stop = () => abort.abort(new CliError('embed-shard cancelled; run the same command again', 130));
  process.once('SIGINT', stop);
  let last = 0;
  try {
    const r = await embedShard(
      { files: opts.files, index, count, out: opts.out, ...params },
      (done, total) => {
        if (Date.now() - last < 2000 && done < total) return;
        last = Date.now();
        process.stderr.write(`embed-shard ${index}/${count}: ${done}/${total}\n`);
      },
      abort.signal,
    );
    printResult(opts.json, r, () => r.alreadyDone
      ? `shard ${r.shard} is already done (${r.embedded} vectors in ${r.npy})`
      : `shard ${r.shard}: embedded ${r.embedded} of ${r.rows} images with ${r.model} on ${(r.provider ?? 'cpu').toUpperCase()} (${r.imagesPerSecond.toFixed(0)} images/s) into ${r.npy}${r.failed.length ? `; ${r.failed.length} could not be read (listed in ${r.json})` : ''}`);
  } finally {
    process.off('SIGINT', stop);
  }
}
