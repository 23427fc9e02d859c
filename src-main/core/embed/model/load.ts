// Opens a model on the best execution provider the machine has, falling back to the CPU with
// the reason kept, so the app can say why embedding is slower than expected.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { byteInputObstacle, BYTE_INPUT, decodeModel, originalInput, withByteInput, type ByteSource } from './byte-input';
import { checkSession, type ModelIo } from './check-session';
import { ModelError } from './errors';
import { loadFailure } from './session-errors';
import type { Device } from '../../../../src-shared/model/embedding';
import type { ModelSpec } from './spec';

export type { Device };
export type Provider = Exclude<Device, 'auto'>;

export interface LoadOptions {
  device?: Device;
  /** Threads inside one operator; onnxruntime picks when omitted. */
  threads?: number;
  /**
   * Feed the model decoded pixels of this size as uint8 [N, h, w, c] (see byte-input.ts). Models
   * that cannot be adapted load as they are; LoadedModel.byteInput says which happened.
   */
  byteInput?: ByteSource;
}

export interface LoadedModel {
  session: ort.InferenceSession;
  spec: ModelSpec;
  io: ModelIo;
  provider: Provider;
  /** Set when a GPU provider was wanted (or, for 'auto', available in principle) but failed to load. */
  fallbackReason?: string;
  /** Set when the session takes bytes (BYTE_INPUT) instead of the spec's float input. */
  byteInput?: ByteSource;
}

interface Source {
  model: string | Uint8Array;
  byteInput?: ByteSource;
  adaptedFrom?: { byteInput: string; original: ort.InferenceSession.ValueMetadata };
}

/** The model as a path, or adapted to byte input when asked and possible. */
function sourceFor(path: string, spec: ModelSpec, byteInput: ByteSource | undefined): Source {
  if (!byteInput) return { model: path };
  let proto;
  try {
    proto = decodeModel(readFileSync(path));
  } catch {
    return { model: path }; // not ONNX: onnxruntime's own error says so below
  }
  if (byteInputObstacle(proto, spec) !== null) return { model: path };
  return { model: withByteInput(proto, spec, byteInput), byteInput, adaptedFrom: { byteInput: BYTE_INPUT, original: originalInput(proto, spec) } };
}

/** GPU providers worth trying for `device`, best first. */
export function gpuCandidates(device: Device, platform: NodeJS.Platform = process.platform): Provider[] {
  if (device === 'cpu') return [];
  if (device !== 'auto') return [device];
  if (platform === 'win32') return ['cuda', 'dml'];
  if (platform === 'linux') return ['cuda'];
  if (platform === 'darwin') return ['coreml'];
  return [];
}

export async function loadModel(path: string, spec: ModelSpec, opts: LoadOptions = {}): Promise<LoadedModel> {
  if (!existsSync(path)) throw new ModelError('not-found', `${path}: no such file`);
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    // a missing GPU library is reported through fallbackReason; keep onnxruntime's own log quiet
    logSeverityLevel: 3,
    ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
  };
  const src = sourceFor(path, spec, opts.byteInput);
  const create = (options: ort.InferenceSession.SessionOptions) =>
    typeof src.model === 'string' ? ort.InferenceSession.create(src.model, options) : ort.InferenceSession.create(src.model, options);
  const adapted = src.byteInput ? { byteInput: src.byteInput } : {};
  const failures: string[] = [];
  for (const provider of gpuCandidates(opts.device ?? 'auto')) {
    // For 'auto', skip a CUDA attempt that cannot succeed: onnxruntime would print a native
    // error on every run of a CPU-only install.
    if (provider === 'cuda' && (opts.device ?? 'auto') === 'auto' && !cudaProviderInstalled()) {
      failures.push('cuda: the CUDA provider is not installed (reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 on a machine with an NVIDIA GPU)');
      continue;
    }
    let session: ort.InferenceSession;
    try {
      // alone, not [provider, 'cpu']: onnxruntime-common silently drops an EP it has no backend for
      // when another is listed, which would report a GPU we are not using. Ops the GPU provider
      // lacks still run on the CPU (onnxruntime always keeps the CPU provider underneath).
      session = await create({ ...base, executionProviders: [provider] });
    } catch (err) {
      failures.push(`${provider}: ${firstLine(err)}`);
      continue;
    }
    return { session, spec, io: checked(session, spec, path, src), provider, ...adapted };
  }
  let session: ort.InferenceSession;
  try {
    session = await create({ ...base, executionProviders: ['cpu'] });
  } catch (err) {
    throw loadFailure(path, err);
  }
  const fallbackReason = failures.length ? `using the CPU: the GPU provider did not load (${failures.join('; ')})` : undefined;
  return { session, spec, io: checked(session, spec, path, src), provider: 'cpu', ...adapted, ...(fallbackReason ? { fallbackReason } : {}) };
}

function checked(session: ort.InferenceSession, spec: ModelSpec, path: string, src: Source): ModelIo {
  try {
    return checkSession(session, spec, path, src.adaptedFrom);
  } catch (err) {
    void session.release();
    throw err;
  }
}

/** onnxruntime-node ships the CUDA provider as a shared library beside its binding. */
export function cudaProviderInstalled(): boolean {
  try {
    const bindingDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
    const root = join(bindingDir, '..', 'bin');
    return existsSync(root) && findFile(root, /libonnxruntime_providers_cuda\.(so|dll)$/);
  } catch {
    return false;
  }
}

function findFile(dir: string, re: RegExp): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() ? findFile(join(dir, e.name), re) : re.test(e.name)) return true;
  }
  return false;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}
