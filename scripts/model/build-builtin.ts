// Builds resources/models/builtin.onnx and builtin.json from the TF.js weights inside nsfwjs,
// builtin-int8.onnx/.json quantised from it (quantize.ts) and the accurate model,
// builtin-accurate.onnx/.json (two networks on one input: convertBranches), deterministically,
// and refuses output whose SHA-256 differs from builtin.sha256. Runs at
// install time, so it skips all work when the files are already there and right.
//   npx tsx scripts/model/build-builtin.ts
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';
import { onnx } from '../../src-main/core/embed/model/onnx-proto';
import { ACCURATE_BRANCHES, BUILTIN_ACCURATE_DOC, BUILTIN_ACCURATE_SPEC, BUILTIN_CONVERT, BUILTIN_INT8_DOC, BUILTIN_INT8_SPEC, BUILTIN_SPEC } from './builtin-config';
import { convertBranches, convertTfjsToOnnx } from './convert';
import { loadKerasAsTfGraph } from './keras-graph';
import { quantiseModel, type ActivationRanges } from './quantize';
import { loadTfjsGraph, nsfwjsModelDir } from './tfjs-graph';

export const MODELS_DIR = fileURLToPath(new URL('../../resources/models/', import.meta.url));
const HASH_FILE = fileURLToPath(new URL('./builtin.sha256', import.meta.url));
const RANGES_FILE = fileURLToPath(new URL('./builtin-int8-ranges.json', import.meta.url));

export interface BuiltModel {
  path: string;
  specPath: string;
  sha256: string;
  /** false when valid files were already in place */
  built: boolean;
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Expected hashes by file name, from `sha256sum` format lines. */
export function expectedHashes(hashFile = HASH_FILE): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(hashFile, 'utf8').split('\n')) {
    const hit = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line.trim());
    if (hit) m.set(hit[2], hit[1]);
  }
  return m;
}

export function specJson(spec: ModelSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** Writes `files` (model + spec) unless they are already in place with the recorded hashes; refuses any other bytes. */
function ensure(outDir: string, hashFile: string, files: { onnx: string; json: string }, spec: ModelSpec, make: () => Uint8Array): BuiltModel {
  const want = expectedHashes(hashFile);
  const onnxPath = join(outDir, files.onnx);
  const specPath = join(outDir, files.json);
  const specBytes = new TextEncoder().encode(specJson(spec));
  const hashOf = (p: string): string | undefined => (existsSync(p) ? sha256(readFileSync(p)) : undefined);
  const ready = (p: string, file: string): boolean => want.has(file) && hashOf(p) === want.get(file);
  if (ready(onnxPath, files.onnx) && ready(specPath, files.json)) {
    return { path: onnxPath, specPath, sha256: want.get(files.onnx)!, built: false };
  }
  const bytes = make();
  const got = { [files.onnx]: sha256(bytes), [files.json]: sha256(specBytes) };
  for (const [file, hash] of Object.entries(got)) {
    if (hash !== want.get(file)) {
      throw new Error(
        `built-in model: ${file} has SHA-256 ${hash}, but ${hashFile} expects ${want.get(file) ?? '(none)'}. ` +
          'The nsfwjs weights, the converter or the int8 ranges changed; check the model, then record the new hash.',
      );
    }
  }
  mkdirSync(outDir, { recursive: true });
  writeAtomic(onnxPath, bytes);
  writeAtomic(specPath, specBytes);
  return { path: onnxPath, specPath, sha256: got[files.onnx]!, built: true };
}

export async function buildBuiltinModel(outDir = MODELS_DIR, hashFile = HASH_FILE): Promise<BuiltModel> {
  return ensure(outDir, hashFile, { onnx: 'builtin.onnx', json: 'builtin.json' }, BUILTIN_SPEC, () => convertTfjsToOnnx(loadTfjsGraph(), BUILTIN_CONVERT).bytes);
}

/** The int8 model, quantised from the float one with the recorded activation ranges (see quantize.ts). */
export async function buildInt8Model(outDir = MODELS_DIR, hashFile = HASH_FILE): Promise<BuiltModel> {
  const float = await buildBuiltinModel(outDir, hashFile);
  return ensure(outDir, hashFile, { onnx: 'builtin-int8.onnx', json: 'builtin-int8.json' }, BUILTIN_INT8_SPEC, () => {
    const ranges = JSON.parse(readFileSync(RANGES_FILE, 'utf8')) as ActivationRanges;
    return quantiseModel(onnx.ModelProto.decode(readFileSync(float.path)), ranges, { name: BUILTIN_INT8_SPEC.name, docString: BUILTIN_INT8_DOC });
  });
}

/** The accurate model (float only: it is chosen for accuracy), from the InceptionV3 and MobileNetV2 weights inside nsfwjs. */
export async function buildAccurateModel(outDir = MODELS_DIR, hashFile = HASH_FILE): Promise<BuiltModel> {
  const { size, inception, mobilenet, mobilenetSize } = ACCURATE_BRANCHES;
  return ensure(outDir, hashFile, { onnx: 'builtin-accurate.onnx', json: 'builtin-accurate.json' }, BUILTIN_ACCURATE_SPEC, () => convertBranches([
    { graph: loadKerasAsTfGraph(nsfwjsModelDir('inception_v3')), inputFrom: 'input_1', inputSize: [size, size], parts: [inception] },
    { graph: loadTfjsGraph(), inputFrom: 'input', inputSize: [mobilenetSize, mobilenetSize], parts: [mobilenet] },
  ], {
    inputName: BUILTIN_ACCURATE_SPEC.inputName, inputChannels: 3, inputSize: [size, size], outputName: BUILTIN_ACCURATE_SPEC.outputName,
    graphName: BUILTIN_ACCURATE_SPEC.name, docString: BUILTIN_ACCURATE_DOC,
  }).bytes);
}

function writeAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  buildInt8Model().then(async (r) => {
    const accurate = await buildAccurateModel();
    console.log(`[winnow] built-in models (float + int8) ${r.built ? 'built' : 'already present'}: ${r.path} (sha256 ${r.sha256}); accurate ${accurate.built ? 'built' : 'already present'}: ${accurate.path} (sha256 ${accurate.sha256}); ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  },
    (err: unknown) => {
      console.error(`[winnow] ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
