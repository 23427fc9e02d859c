// Some samples' vectors read on a thread of its own, into shared memory, while the caller's
// thread works on: a representative run at a million samples reads about half of a 544-d set
// (4–5 s of one pass over the embeddings table) right before it clusters in a space that needs
// none of them (curate-input.ts, engine/modes/joint-space.ts), and the other core was idle.
//
// The engines are synchronous, so the caller takes the rows with a blocking wait (Atomics.wait,
// allowed on Node's threads). The reader shows it is alive by counting its chunks; if it stops
// for STALL_MS (it failed to start, or died without a word), or fails for any reason but a
// missing vector, the caller reads the rows itself: a stalled thread costs time, never the run.
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { RpcError, type ErrorCode } from '../../../src-shared/rpc/errors';
import { startWorker } from '../../workers/spawn';
import { workerEntry } from '../../workers/entries';

/** What the reader thread is given. */
export interface RowsThreadData {
  path: string; setId: number; sampleIds: Int32Array; lost: string; setRows: number;
  /** sampleIds × dim floats, written by the reader. */
  out: SharedArrayBuffer;
  /** Two Int32s: the state (RUNNING, DONE, FAILED) and the chunks read so far. */
  state: SharedArrayBuffer;
  /** Where the reader posts its failure ({ code?, message }) before it sets FAILED. */
  port: MessagePort;
}
export const RUNNING = 0, DONE = 1, FAILED = 2;

/** How long the reader may go without a chunk before the caller reads the rows itself. */
const STALL_MS = 30_000;
const WAIT_MS = 1_000;

export interface RowsReading {
  /** The rows, once the reader has them; null where the caller must read them itself. A missing vector throws the reader's error. */
  take(): Float32Array | null;
}

export function readRowsOnThread(path: string, setId: number, sampleIds: Int32Array, dim: number, lost: string, setRows: number): RowsReading {
  const out = new SharedArrayBuffer(sampleIds.length * dim * Float32Array.BYTES_PER_ELEMENT);
  const state = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const data: RowsThreadData = { path, setId, sampleIds, lost, setRows, out, state: state.buffer as SharedArrayBuffer, port: port2 };
  const worker = startWorker(workerEntry('vector-rows'), { workerData: data, transferList: [port2] });
  // Nothing of the caller's waits on it: a run that ends before taking the rows leaves it to finish.
  worker.unref();
  // Its failures reach take() through the state (or as a stall): an 'error' event unheard would end the process.
  worker.on('error', () => {});
  return {
    take() {
      let chunks = -1, still = 0;
      while (Atomics.load(state, 0) === RUNNING) {
        Atomics.wait(state, 0, RUNNING, WAIT_MS);
        const now = Atomics.load(state, 1);
        if (now !== chunks) { chunks = now; still = 0; continue; }
        if ((still += WAIT_MS) >= STALL_MS) break;
      }
      const settled = Atomics.load(state, 0);
      if (settled === DONE) return new Float32Array(out);
      void worker.terminate();
      const failure = settled === FAILED ? receiveMessageOnPort(port1)?.message as { code?: ErrorCode; message: string } | undefined : undefined;
      port1.close();
      // A vector gone since the map: the caller's own read would say the same.
      if (failure?.code === 'precondition') throw new RpcError(failure.code, failure.message);
      process.emitWarning(`reading vectors on a thread of their own ${failure ? `failed (${failure.message})` : `stopped for ${STALL_MS / 1000} s`}; reading them here instead`);
      return null;
    },
  };
}
