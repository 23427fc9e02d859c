// `winnow models`: lists the downloadable image encoders and fetches one into the models folder
// (~/.winnow/models, or $WINNOW_MODELS_DIR) for `winnow embed --model`. Ctrl+C keeps the
// partial file, so the same command resumes.
import { DownloadError } from '../../core/embed/download/errors';
import { defaultModelsDir, installModel, listModels, modelPaths, type InstallResult, type ModelListing } from '../../core/embed/download/install';
import { KNOWN_MODELS, type KnownModel } from '../../core/embed/download/known-models';
import { ModelError } from '../../core/embed/model/errors';
import { CliError, printResult } from '../output';

export const usage = 'winnow models list|download ID [--json]   (into ~/.winnow/models, or $WINNOW_MODELS_DIR)';

/** Seams for tests: another catalogue or folder, a fake network. */
export interface ModelsDeps {
  catalogue?: readonly KnownModel[];
  modelsDir?: string;
  fetchImpl?: typeof fetch;
}

export async function runModels(positionals: string[], opts: { json: boolean }, deps: ModelsDeps = {}): Promise<void> {
  const [sub, id, ...extra] = positionals;
  const catalogue = deps.catalogue ?? KNOWN_MODELS;
  const dir = deps.modelsDir ?? defaultModelsDir();
  if (sub === 'list' && id === undefined) return printList(await listModels(dir, catalogue), opts.json);
  if (sub === 'download') {
    if (!id || extra.length) throw new CliError('usage: winnow models download ID [--json]; "winnow models list" shows the ids');
    if (!catalogue.some((m) => m.id === id)) throw new CliError(`unknown model "${id}"; known: ${catalogue.map((m) => m.id).join(', ')}`);
    return download(id, dir, catalogue, opts.json, deps.fetchImpl);
  }
  throw new CliError(`usage: ${usage}`);
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const arg = (path: string): string => (/[\s"'$`\\]/.test(path) ? JSON.stringify(path) : path);
const STATE = { installed: 'installed', partial: 'partial', absent: 'not downloaded' } as const;

function printList(list: ModelListing, json: boolean): void {
  printResult(json, list, () => {
    const width = Math.max(...list.known.map((m) => m.id.length), 2);
    const lines = [`models folder: ${list.modelsDir}`];
    for (const m of list.known) {
      const state = m.state === 'partial' ? `partial (${mb(m.partialBytes ?? 0)})` : STATE[m.state];
      lines.push(`  ${m.id.padEnd(width)}  ${state.padEnd(22)} ${mb(m.sizeBytes).padStart(9)}  ${String(m.embeddingDim).padStart(4)}-d  ${m.license.padEnd(10)}  ${m.name}`);
    }
    for (const o of list.others) lines.push(`  ${o.id.padEnd(width)}  added by hand          ${o.path}`);
    lines.push(`download: winnow models download ID; then: winnow embed --project FILE --model ${arg(modelPaths(list.modelsDir, 'ID').onnx)}`);
    return lines.join('\n');
  });
}

async function download(id: string, dir: string, catalogue: readonly KnownModel[], json: boolean, fetchImpl?: typeof fetch): Promise<void> {
  const bar = bytesPrinter(`download ${id}`);
  const ac = new AbortController();
  const cancel = () => ac.abort();
  process.once('SIGINT', cancel);
  let r: InstallResult;
  try {
    r = await installModel(id, dir, { catalogue, signal: ac.signal, fetchImpl, onProgress: bar.update });
  } catch (err) {
    bar.done();
    if (err instanceof DownloadError && err.code === 'aborted') {
      const part = modelPaths(dir, id).part;
      throw new CliError(`download cancelled; ${part} keeps what arrived; run the same command again to resume`, 130);
    }
    if (err instanceof DownloadError) throw new CliError(`download of ${id} failed: ${err.message}`);
    if (err instanceof ModelError) throw new CliError(`${id} downloaded, but it does not fit its spec: ${err.message}`);
    throw err;
  } finally {
    process.off('SIGINT', cancel);
  }
  bar.done();
  printResult(json, r, () => [
    r.alreadyInstalled ? `${id} is already installed: ${r.onnxPath}` : `installed ${id} (${mb(r.bytes)}${r.resumedFrom ? `, resumed at ${mb(r.resumedFrom)}` : ''}): ${r.onnxPath}`,
    `embed with: winnow embed --project FILE --model ${arg(r.onnxPath)}`,
  ].join('\n'));
}

/** Byte progress on stderr: one rewritten line on a terminal, a line every 2 s otherwise. */
function bytesPrinter(label: string): { update(received: number, total: number | undefined): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  let shown = false;
  return {
    update(received, total) {
      const now = Date.now();
      const end = total !== undefined && received >= total;
      if (now - last < (tty ? 100 : 2000) && !end) return;
      last = now;
      shown = true;
      const line = `${label}: ${mb(received)}${total ? ` of ${mb(total)} (${Math.floor((100 * received) / total)}%)` : ''}`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
    done() {
      if (tty && shown) process.stderr.write('\n');
      shown = false;
    },
  };
}
