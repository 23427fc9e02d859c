// The embedding job's side of a whitened model (spec.whiten, whitening.ts). The set's first
// vectors are held back until `spec.sample` images are embedded, the whitening is fitted on them
// (on a worker thread) and stored with the set, and only then is any vector written: a set never
// holds a vector made without its whitening. Images that fail to decode are recorded at once (they
// have no vector). A run stopped before the fit writes no vector, so its resume starts over; one
// stopped after it finds the whitening stored and goes on with it.
import { createRng, sampleIndices } from '../../../src-shared/random';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { EmbeddingStore } from './embedding-store';
import { fitWhiteningOnThread } from './fit-whitening-thread';
import { partsWidth, type WhitenSpec } from './model';
import { applyWhitening, type Whitening } from './whitening';

type Failure = { sampleId: number; reason: string };
type Write = (ids: number[], vectors: Float32Array, failed: Failure[]) => void;

export interface RunWhitening {
  /** The pending ids in the order to embed them: before the fit, a sample drawn from them first. */
  order(pending: number[]): number[];
  /** One batch's raw vectors: held until the sample is in, then fitted and written whitened; after the fit, written whitened. */
  take(ids: number[], raw: Float32Array, failed: Failure[], write: Write, note: (text: string) => void, signal: AbortSignal): Promise<void>;
}

/**
 * Which of `count` pending images the whitening is fitted on (ascending positions): drawn from
 * the whole list, not taken from its start, since a folder imported class by class would
 * otherwise fit it on its first classes only; seeded, so a project embedded twice gets the same.
 */
export function whiteningSample(count: number, sample: number): Int32Array {
  return sampleIndices(count, Math.min(sample, count), createRng(1)).sort();
}

export function whiteningFor(store: EmbeddingStore, setId: number, spec: WhitenSpec, fitting: (rows: number) => string): RunWhitening {
  let fitted: Whitening | null = store.whitening(setId);
  if (!fitted && store.hasVectors(setId)) {
    throw new RpcError('precondition', `embedding set ${setId} holds vectors but not the whitening they were made with; remove the set and embed again`);
  }
  const width = partsWidth(spec.parts);
  let sampleRows = 0;
  let held: Float32Array = new Float32Array(0);
  let heldRows = 0;
  let heldSamples = 0;
  const heldBatches: Array<{ ids: number[]; from: number }> = [];
  return {
    order(pending) {
      if (fitted) return pending;
      const pick = whiteningSample(pending.length, spec.sample);
      sampleRows = pick.length;
      const chosen = new Uint8Array(pending.length);
      for (const i of pick) chosen[i] = 1;
      return [...Array.from(pick, (i) => pending[i]!), ...pending.filter((_, i) => !chosen[i])];
    },
    async take(ids, raw, failed, write, note, signal) {
      if (fitted) {
        write(ids, ids.length ? applyWhitening(raw, ids.length, fitted) : raw, failed);
        return;
      }
      if (failed.length) write([], raw.subarray(0, 0), failed);
      // Held in shared memory, which the fitting thread reads without a copy (5,000 rows of the accurate model: 225 MB).
      if (held.length < (heldRows + ids.length) * width) {
        const grown = new Float32Array(new SharedArrayBuffer(Math.max(sampleRows, heldRows + ids.length) * width * 4));
        grown.set(held.subarray(0, heldRows * width));
        held = grown;
      }
      held.set(raw.subarray(0, ids.length * width), heldRows * width);
      heldBatches.push({ ids, from: heldRows });
      heldRows += ids.length;
      heldSamples += ids.length + failed.length;
      if (heldSamples < sampleRows || heldRows === 0) return;
      note(fitting(heldRows));
      const t = await fitWhiteningOnThread(held.subarray(0, heldRows * width), heldRows, spec, signal);
      store.saveWhitening(setId, t);
      fitted = t;
      const vectors = applyWhitening(held.subarray(0, heldRows * width), heldRows, t);
      const dim = spec.parts.length * spec.dim;
      for (const b of heldBatches) write(b.ids, vectors.subarray(b.from * dim, (b.from + b.ids.length) * dim), []);
      heldBatches.length = 0;
      held = new Float32Array(0);
    },
  };
}
