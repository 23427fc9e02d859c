// onnxruntime's GEMM (MLAS: packed, vectorised, cache-blocked) as the engines' dense product.
// The engines' JavaScript loop runs about 1–2 G multiply-adds/s; this kernel 13–65× that on one
// core on the app's shapes (bench/dense-products.ts), which is what a PCA projection of a million
// 544-d vectors, the label-noise probe's Gram matrices and its scoring of every row are made of.
//
// Why the package's native binding and not InferenceSession: the public run() is a promise
// around the same synchronous native call (onnxruntime-node 1.30, dist/backend.js), and the
// engines are synchronous. The binding is pinned with the package (package.json: an exact
// version); if it cannot be loaded or a run fails, the engines keep their own loop (the same
// products, a little more exact: they accumulate in float64), so nothing depends on it.
//
// One intra-op thread: every thread that runs engines (the core, the scoring thread, the map's
// workers) already has its core; a second onnxruntime thread per caller would oversubscribe the
// machine.
import { createRequire } from 'node:module';
import { Tensor } from 'onnxruntime-node';
import { useRowProductKernel } from '../curate/engine/linalg';
import { encodeModel, node, valueInfo } from '../embed/model/onnx-proto';

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, offset: number, length: number, options: object): void;
  run(feeds: Record<string, Tensor>, fetches: Record<string, null>, options: object): Record<string, Tensor>;
}
interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

let session: NativeSession | null | undefined;

/** Y (m × c) = A (m × d) · Bᵀ (B: c × d), as one ONNX Gemm with B transposed; every dim symbolic. */
function gemmModel(): Uint8Array {
  return encodeModel({
    name: 'winnow-row-products',
    nodes: [node('Gemm', ['A', 'B'], ['Y'], 'products', { transB: 1 })],
    initializers: [],
    inputs: [valueInfo('A', ['m', 'd']), valueInfo('B', ['c', 'd'])],
    outputs: [valueInfo('Y', ['m', 'c'])],
  });
}

function open(): NativeSession | null {
  if (session !== undefined) return session;
  try {
    const { binding, initOrt } = createRequire(import.meta.url)('onnxruntime-node/dist/binding') as NativeBinding;
    initOrt();
    const s = new binding.InferenceSession();
    const bytes = gemmModel();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
      intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3,
    });
    session = s;
  } catch (err) {
    process.emitWarning(`dense products run in JavaScript: onnxruntime's GEMM could not be loaded (${(err as Error).message})`);
    session = null;
  }
  return session;
}

/** Kept between calls up to this many floats (16 MB): the map's projection blocks fit. */
const KEEP_SCRATCH = 4 << 20;
const scratch: [Float32Array | null, Float32Array | null] = [null, null];

/**
 * The first `len` values as onnxruntime takes them: it refuses shared memory ("Invalid
 * argument"), where the map's vectors live, so such a view is copied (a memcpy, a small part
 * of the product's time).
 */
function unshared(v: Float32Array, len: number, slot: 0 | 1): Float32Array {
  const view = v.subarray(0, len);
  if (!(view.buffer instanceof SharedArrayBuffer)) return view;
  let s = scratch[slot];
  if (!s || s.length < len) {
    s = new Float32Array(len);
    scratch[slot] = len <= KEEP_SCRATCH ? s : null;
  }
  s.set(view);
  return s.subarray(0, len);
}

/** dotRows' product through onnxruntime; false (the caller's loop then runs) if it is not available. */
export function nativeRowProducts(A: Float32Array, aRows: number, B: Float32Array, bRows: number, dim: number, out: Float32Array | Float64Array): boolean {
  const s = open();
  if (!s) return false;
  // One row goes through onnxruntime's vector product, whose sums are ordered unlike the
  // matrix product's: the row is sent twice, so it comes out as it would among others.
  if (aRows === 1) {
    const two = new Float32Array(2 * dim);
    two.set(A.subarray(0, dim));
    two.set(A.subarray(0, dim), dim);
    const both = new Float32Array(2 * bRows);
    if (!nativeRowProducts(two, 2, B, bRows, dim, both)) return false;
    for (let c = 0; c < bRows; c++) out[c] = both[c]!;
    return true;
  }
  let y: Float32Array;
  try {
    const r = s.run({
      A: new Tensor('float32', unshared(A, aRows * dim, 0), [aRows, dim]),
      B: new Tensor('float32', unshared(B, bRows * dim, 1), [bRows, dim]),
    }, { Y: null }, {});
    y = r.Y!.data as Float32Array;
  } catch (err) {
    process.emitWarning(`dense products run in JavaScript from now on: onnxruntime's GEMM failed (${(err as Error).message})`);
    session = null;
    return false;
  }
  if (out instanceof Float32Array) out.set(y.subarray(0, aRows * bRows));
  else for (let i = 0; i < aRows * bRows; i++) out[i] = y[i]!;
  return true;
}

/**
 * Gives this thread's engines the native product. Called once by each thread that runs
 * engines on big inputs: the core's session, the scoring thread, the map's workers.
 */
export function useNativeRowProducts(): void {
  useRowProductKernel(nativeRowProducts);
}
