// Which model an embedding run uses: the built-in one from resources/models, or a user's
// .onnx file with a spec (JSON beside it, or named explicitly). The model key (model bytes +
// spec) decides the embedding set, so a different model or spec never mixes with another.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { appRoot } from '../app-root';
import { RpcError } from '../../../src-shared/rpc/errors';
import { parseModelSpec, type ModelSpec } from './model';
import { int8Exact } from './int8-support';

export const BUILTIN_DIR = join(appRoot(), 'resources', 'models') + sep;

export interface ModelSource { name: string; onnxPath: string; spec: ModelSpec; sha256: string; key: string }

/**
 * The built-in model comes in two builds of the same network: int8 (the CPU default, about twice
 * as fast on CPUs with VNNI) and float (`builtin-float`; GPUs run it natively). `builtin` picks
 * int8 unless a GPU is asked for by name or the CPU's int8 kernels saturate (int8-support.ts).
 * `builtin-accurate` is a second, slower model: two networks whitened on the project's own
 * images (scripts/model/builtin-config.ts).
 */
export const BUILTIN_MODELS = { 'builtin': 'builtin-int8', 'builtin-int8': 'builtin-int8', 'builtin-float': 'builtin', 'builtin-accurate': 'builtin-accurate' } as const;

export function isBuiltin(model: string | undefined): boolean {
  return !model || model in BUILTIN_MODELS;
}

export function resolveModel(model: string | undefined, specPath?: string, device?: string): ModelSource {
  if (isBuiltin(model)) {
    const gpuByName = device !== undefined && device !== 'auto' && device !== 'cpu';
    const file = !model || model === 'builtin' ? (gpuByName || !int8Exact() ? 'builtin' : 'builtin-int8') : BUILTIN_MODELS[model as keyof typeof BUILTIN_MODELS];
    const onnxPath = `${BUILTIN_DIR}${file}.onnx`;
    if (!existsSync(onnxPath)) throw new RpcError('precondition', `the built-in model is missing from resources/models (${file}.onnx); run "npm install" (it builds the model)`);
    return describe(onnxPath, `${BUILTIN_DIR}${file}.json`);
  }
  if (!model || !existsSync(model)) throw new RpcError('not_found', `no model file at ${model}`);
  const spec = specPath ?? model.replace(/\.onnx$/i, '') + '.json';
  if (!existsSync(spec)) throw new RpcError('bad_request', `a model needs a spec: put ${spec} beside it or pass one (input name, size, layout, channel order, mean/std, output, pooling)`);
  return describe(model, spec);
}

function describe(onnxPath: string, specPath: string): ModelSource {
  let specJson: unknown;
  try {
    specJson = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (err) {
    throw new RpcError('bad_request', `cannot read model spec ${specPath}: ${(err as Error).message}`);
  }
  const spec = parseModelSpec(specJson);
  const sha256 = createHash('sha256').update(readFileSync(onnxPath)).digest('hex');
  const key = createHash('sha256').update(sha256).update(JSON.stringify(spec)).digest('hex');
  return { name: spec.name, onnxPath, spec, sha256, key };
}
