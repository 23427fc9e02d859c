// Worker entry for the map pipeline (PCA, k-NN shards, fuzzy graph, layout SGD): a thin
// loop that runs core/map tasks and posts their results. Started by core/map/pool.ts.
import { parentPort } from 'node:worker_threads';
import { runMapTask, type MapTask } from '../core/map/tasks';
import { useNativeRowProducts } from '../core/native/gemm';

const port = parentPort;
if (!port) throw new Error('layout-worker must run in a worker thread');
useNativeRowProducts();

port.on('message', ({ id, task }: { id: number; task: MapTask }) => {
  try {
    const { result, transfer } = runMapTask(task, (data) => port.postMessage({ id, type: 'progress', data }));
    port.postMessage({ id, type: 'done', result }, transfer);
  } catch (err) {
    port.postMessage({ id, type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
