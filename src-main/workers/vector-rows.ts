// Worker entry: some samples' vectors read from the project file on this thread's own connection
// into the caller's shared memory (core/embed/rows-thread.ts), counting its chunks as it goes.
import { workerData } from 'node:worker_threads';
import { RpcError } from '../../src-shared/rpc/errors';
import { Catalog } from '../core/catalog/catalog';
import { openProjectDb } from '../core/catalog/db';
import { EmbeddingStore } from '../core/embed/embedding-store';
import { DONE, FAILED, type RowsThreadData } from '../core/embed/rows-thread';

const data = workerData as RowsThreadData;
const state = new Int32Array(data.state);
const settle = (s: number) => { Atomics.store(state, 0, s); Atomics.notify(state, 0); };
try {
  const db = openProjectDb(data.path);
  try {
    new EmbeddingStore(new Catalog(db, data.path)).rowsOf(data.setId, data.sampleIds, data.lost, data.setRows, {
      into: new Float32Array(data.out),
      onChunk: () => { Atomics.add(state, 1, 1); },
    });
  } finally {
    db.close();
  }
  settle(DONE);
} catch (err) {
  // Posted before the state changes: the caller reads it as soon as it sees FAILED.
  data.port.postMessage({ code: err instanceof RpcError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) });
  settle(FAILED);
}
