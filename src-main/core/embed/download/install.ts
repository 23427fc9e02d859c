// Puts a downloadable model into a models folder as <id>.onnx + <id>.json, the layout
// resolveModel() reads, so `winnow embed --model <dir>/<id>.onnx` works with no --spec.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RpcError } from '../../../../src-shared/rpc/errors';
import { parseModelSpec, type ModelSpec } from '../model/spec';
import { downloadFile, type DownloadOptions } from './download-file';
import { DownloadError } from './errors';
import { KNOWN_MODELS, type KnownModel } from './known-models';

/** A model outside the catalogue: any https URL with the file's hash and a spec that fits it. */
export interface CustomModel {
  /** File stem in the models folder; defaults to the spec's name. */
  id?: string;
  url: string;
  sha256: string;
  sizeBytes?: number;
  spec: ModelSpec;
}

export interface InstallOptions extends Pick<DownloadOptions, 'signal' | 'onProgress' | 'fetchImpl' | 'idleTimeoutMs'> {
  catalogue?: readonly KnownModel[];
  /** Load the model once to check it against its spec before writing the spec (default true). */
  validate?: boolean;
}

export interface InstallResult {
  id: string;
  onnxPath: string;
  specPath: string;
  bytes: number;
  sha256: string;
  /** Bytes a previous, interrupted run had already fetched. */
  resumedFrom: number;
  /** The model file was already there with the right hash; nothing was downloaded. */
  alreadyInstalled: boolean;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.WINNOW_MODELS_DIR || join(homedir(), '.winnow', 'models');
}

export function modelPaths(modelsDir: string, id: string): { onnx: string; json: string; part: string } {
  const onnx = join(modelsDir, `${id}.onnx`);
  return { onnx, json: join(modelsDir, `${id}.json`), part: `${onnx}.part` };
}

export async function installModel(model: string | CustomModel, modelsDir = defaultModelsDir(), opts: InstallOptions = {}): Promise<InstallResult> {
  const entry = resolveEntry(model, opts.catalogue ?? KNOWN_MODELS);
  const spec = parseModelSpec(entry.spec);
  const want = entry.sha256.toLowerCase();
  const paths = modelPaths(modelsDir, entry.id);

  let result: Omit<InstallResult, 'id' | 'onnxPath' | 'specPath'>;
  const present = await fileSize(paths.onnx);
  if (present !== undefined) {
    const got = present === (entry.sizeBytes ?? present) ? await sha256File(paths.onnx) : undefined;
    if (got !== want) throw new RpcError('conflict', `${paths.onnx} exists but is not the file of "${entry.id}"; move it away or delete it, then run again`);
    result = { bytes: present, sha256: got, resumedFrom: 0, alreadyInstalled: true };
  } else {
    const r = await downloadFile(entry.url, {
      sha256: want, dest: paths.onnx, sizeBytes: entry.sizeBytes,
      signal: opts.signal, onProgress: opts.onProgress, fetchImpl: opts.fetchImpl, idleTimeoutMs: opts.idleTimeoutMs,
    });
    result = { bytes: r.bytes, sha256: r.sha256, resumedFrom: r.resumedFrom, alreadyInstalled: false };
  }

  if (opts.validate !== false) {
    // Loaded lazily: onnxruntime is only needed here, not to list or download.
    const { validateModel } = await import('../model/validate');
    await validateModel(paths.onnx, spec);
  }
  // Written last and atomically: a spec beside the model is what makes it usable.
  const tmp = `${paths.json}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(spec, null, 2)}\n`);
    await rename(tmp, paths.json);
  } catch (err) {
    throw new DownloadError('disk', `cannot write ${paths.json}: ${(err as Error).message}`, { cause: err });
  }
  return { id: entry.id, onnxPath: paths.onnx, specPath: paths.json, ...result };
}

export interface KnownModelState {
  id: string;
  name: string;
  license: string;
  sizeBytes: number;
  embeddingDim: number;
  url: string;
  homepage: string;
  /** installed: model and spec in place (size checked, not the hash); partial: an interrupted download. */
  state: 'installed' | 'partial' | 'absent';
  path: string;
  partialBytes?: number;
}

export interface ModelListing {
  modelsDir: string;
  known: KnownModelState[];
  /** Other <id>.onnx files with a spec beside them (models a person added by hand). */
  others: Array<{ id: string; path: string }>;
}

export async function listModels(modelsDir = defaultModelsDir(), catalogue: readonly KnownModel[] = KNOWN_MODELS): Promise<ModelListing> {
  const known: KnownModelState[] = [];
  for (const m of catalogue) {
    const paths = modelPaths(modelsDir, m.id);
    const size = await fileSize(paths.onnx);
    const partial = await fileSize(paths.part);
    const state = size === m.sizeBytes && existsSync(paths.json) ? 'installed' : partial ? 'partial' : 'absent';
    known.push({
      id: m.id, name: m.name, license: m.license, sizeBytes: m.sizeBytes, embeddingDim: m.spec.embeddingDim, url: m.url, homepage: m.homepage,
      state, path: paths.onnx, ...(state === 'partial' ? { partialBytes: partial } : {}),
    });
  }
  const ids = new Set(catalogue.map((m) => m.id));
  let names: string[] = [];
  try {
    names = await readdir(modelsDir);
  } catch {
    // no folder yet: nothing installed
  }
  const others = names
    .filter((n) => n.endsWith('.onnx') && !ids.has(n.slice(0, -5)) && names.includes(`${n.slice(0, -5)}.json`))
    .sort()
    .map((n) => ({ id: n.slice(0, -5), path: join(modelsDir, n) }));
  return { modelsDir, known, others };
}

function resolveEntry(model: string | CustomModel, catalogue: readonly KnownModel[]): { id: string; url: string; sha256: string; sizeBytes?: number; spec: ModelSpec } {
  if (typeof model === 'string') {
    const known = catalogue.find((m) => m.id === model);
    if (!known) throw new RpcError('not_found', `unknown model "${model}"; known models: ${catalogue.map((m) => m.id).join(', ') || 'none'}`);
    return known;
  }
  const id = model.id ?? model.spec?.name;
  if (!id || !ID.test(id)) throw new RpcError('bad_request', `"${id}" cannot name a model file: use letters, digits, ".", "_" and "-"`);
  if (!/^[0-9a-f]{64}$/i.test(model.sha256)) throw new RpcError('bad_request', `"${model.sha256}" is not a SHA-256 (64 hex digits)`);
  return { ...model, id };
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
