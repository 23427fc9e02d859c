// Splits: the leak check (duplicates across train/val/test) and leak-free splits stored as the
// samples' `split` field with history (one undoable edit).
import { z } from 'zod';
import { method, wholeNumber } from './define';
import type { EditResult } from '../model/edit';

/** Which duplicate rules a check or split used. */
export interface LeakSources {
  /** Identical content hashes: always. */
  exact: true;
  /** Samples with an appearance signature (shifted, noisy, recompressed copies). */
  appearance: number;
  /** Cross-split pairs the aligned pixel comparison confirmed (it also finds shifted copies of frame-filling images, which the appearance rule misses). */
  alignedPairs: number;
  /** The map whose stored scores gave embedding near duplicates; null when there are no scores. */
  embeddingMapId: number | null;
}

export interface LeakSide { id: number; split: string; label: string | null; path: string }
export interface LeakPair { a: LeakSide; b: LeakSide; exact: boolean }

export interface LeakReport {
  /** Samples per split (null = no split). */
  splits: Array<{ name: string | null; samples: number }>;
  pairs: number;
  exactPairs: number;
  /** Samples with a copy in another split. */
  samples: number;
  groups: number;
  bySplitPair: Array<{ a: string; b: string; pairs: number; exact: number; samplesA: number; samplesB: number }>;
  byClass: Array<{ label: string | null; samples: number; pairs: number }>;
  mixedLabelPairs: number;
  /** One page of pairs, from `offset`. */
  page: LeakPair[];
  offset: number;
  /** Ids of every leaking sample, ascending (to select them). */
  leakingIds: Int32Array;
  sources: LeakSources;
}

export interface SplitPartSummary { name: string; samples: number; byClass: Record<string, number> }

export interface SplitResult {
  edit: EditResult;
  parts: SplitPartSummary[];
  /** Groups of two or more samples kept on one side. */
  groups: number;
  /** Largest |count − ratio × class size| over classes and parts (≤ 1 when the groups fit). */
  maxClassDeviation: number;
  /** Leak pairs left by the new split: 0 by construction. */
  leaksAfter: number;
  sources: LeakSources;
}

const share = z.object({
  name: z.string().min(1).max(64),
  ratio: z.number({ error: 'a split ratio must be a number' }),
});

export const splitsContract = {
  'splits.leaks': method(z.object({
    offset: wholeNumber(0, 1e12, 'offset must be a whole number ≥ 0').default(0),
    limit: wholeNumber(0, 1000, 'limit must be a whole number from 0 to 1000').default(50),
  }), { timeoutMs: 300_000 }).returns<LeakReport>(),
  'splits.make': method(z.object({
    shares: z.array(share).min(2, 'a split needs at least two parts').max(16, 'at most 16 parts'),
    seed: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'the seed must be a whole number ≥ 0').default(0),
    groupBy: z.string().min(1).max(200).optional(),
  }), { timeoutMs: 300_000 }).returns<SplitResult>(),
};

/** `train=0.8,val=0.2` → shares (the CLI's --ratios, the panel's field); the core checks the ratios themselves. */
export function parseRatios(text: string): Array<{ name: string; ratio: number }> {
  return text.split(',').map((part) => {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new Error(`"${part}" is not name=ratio (e.g. train=0.8,val=0.2)`);
    const ratio = Number(m[2]);
    if (!Number.isFinite(ratio)) throw new Error(`"${m[2]}" is not a number`);
    return { name: m[1]!, ratio };
  });
}
