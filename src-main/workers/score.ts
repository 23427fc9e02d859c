// Worker entry: a scoring or a curate run's scoring and picking (core/curate/score-thread.ts),
// on its own connection to the project file, off the core's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { RpcError } from '../../src-shared/rpc/errors';
import { Catalog } from '../core/catalog/catalog';
import { openProjectDb } from '../core/catalog/db';
import { EmbeddingStore, type VectorHandOver } from '../core/embed/embedding-store';
import { MapStore } from '../core/map/map-store';
import { refreshScores } from '../core/curate/score-store';
import { scoreAndPick, type ScoreThreadMessage, type ScoreWorkerData } from '../core/curate/score-thread';
import { useNativeRowProducts } from '../core/native/gemm';

if (!parentPort) throw new Error('score must run in a worker thread');
const port = parentPort;
useNativeRowProducts();
const data = workerData as ScoreWorkerData;
const { path, task } = data;
// Out of workerData into a box the scoring empties: kept in workerData, the vectors would stay
// referenced for the thread's whole life, through the near-duplicate search they are let go for.
const vectors: VectorHandOver = { table: data.vectors };
delete data.vectors;
const post = (m: ScoreThreadMessage) => port.postMessage(m);
const progress = (share: number, message: string) => post({ type: 'progress', share, message });

const db = openProjectDb(path);
try {
  const catalog = new Catalog(db, path);
  const embeddings = new EmbeddingStore(catalog), maps = new MapStore(catalog);
  const result = task.kind === 'refresh'
    ? await refreshScores(catalog, embeddings, maps, { ...task.opts, progress, vectors })
    : await scoreAndPick(catalog, embeddings, maps, task.params, { progress, picking: () => post({ type: 'picking' }) });
  port.postMessage({ type: 'done', result });
} catch (err) {
  post({ type: 'failed', code: err instanceof RpcError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) });
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
} finally {
  db.close();
}
