// Builds resources/models/builtin.onnx and builtin.json from the TF.js weights inside nsfwjs,
// deterministically, and refuses output whose SHA-256 differs from builtin.sha256. Runs at
// install time, so it skips all work when the files are already there and right.
//   npx tsx scripts/model/build-builtin.ts
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILTIN_CONVERT, BUILTIN_SPEC } from './builtin-config';
import { convertTfjsToOnnx } from './convert';
import { loadTfjsGraph } from './tfjs-graph';

export const MODELS_DIR = fileURLToPath(new URL('../../resources/models/', import.meta.url));
const HASH_FILE = fileURLToPath(new URL('./builtin.sha256', import.meta.url));

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

export function builtinSpecJson(): string {
  return `${JSON.stringify(BUILTIN_SPEC, null, 2)}\n`;
}

export async function buildBuiltinModel(outDir = MODELS_DIR, hashFile = HASH_FILE): Promise<BuiltModel> {
  const want = expectedHashes(hashFile);
  const onnxPath = join(outDir, 'builtin.onnx');
  const specPath = join(outDir, 'builtin.json');
  const spec = new TextEncoder().encode(builtinSpecJson());
  const hashOf = (p: string): string | undefined => (existsSync(p) ? sha256(readFileSync(p)) : undefined);
  const ready = (p: string, file: string): boolean => want.has(file) && hashOf(p) === want.get(file);
  if (ready(onnxPath, 'builtin.onnx') && ready(specPath, 'builtin.json')) {
    return { path: onnxPath, specPath, sha256: want.get('builtin.onnx')!, built: false };
  }

  const { bytes } = convertTfjsToOnnx(loadTfjsGraph(), BUILTIN_CONVERT);
  const got = { 'builtin.onnx': sha256(bytes), 'builtin.json': sha256(spec) };
  for (const [file, hash] of Object.entries(got)) {
    if (hash !== want.get(file)) {
      throw new Error(
        `built-in model: ${file} has SHA-256 ${hash}, but ${hashFile} expects ${want.get(file) ?? '(none)'}. ` +
          'The nsfwjs weights or the converter changed; check the model, then record the new hash.',
      );
    }
  }
  mkdirSync(outDir, { recursive: true });
  writeAtomic(onnxPath, bytes);
  writeAtomic(specPath, spec);
  return { path: onnxPath, specPath, sha256: got['builtin.onnx'], built: true };
}

function writeAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  buildBuiltinModel().then(
    (r) => console.log(`[winnow] built-in model ${r.built ? 'built' : 'already present'}: ${r.path} (sha256 ${r.sha256}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`),
    (err: unknown) => {
      console.error(`[winnow] ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
