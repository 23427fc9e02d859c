// Worker entry: fits an embedding set's whitening (core/embed/whitening.ts) off the core's event
// loop: the accurate model's fit over 5,000 images is tens of seconds of dense products.
import { parentPort, workerData } from 'node:worker_threads';
import { fitWhitening } from '../core/embed/whitening';
import type { FitWhiteningData } from '../core/embed/fit-whitening-thread';
import { useNativeRowProducts } from '../core/native/gemm';

if (!parentPort) throw new Error('fit-whitening must run in a worker thread');
const { raw, rows, spec } = workerData as FitWhiteningData;
try {
  useNativeRowProducts();
  parentPort.postMessage({ type: 'done', result: fitWhitening(raw, rows, spec) });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
