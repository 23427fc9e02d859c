// Stratified train/val split on export, leak-free: each duplicate group goes to one side whole
// (core/splits/engine/group-split.ts); within each label the samples alone are ordered by a
// seeded hash of their id, so the same seed gives the same split on any machine.
import { groupAwareSplit } from '../splits/engine/group-split';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { ExportSplit } from '../../../src-shared/model/export';

export const TRAIN = 'train';
export const VAL = 'val';

export function checkSplit(split: ExportSplit): void {
  if (!(split.ratio > 0 && split.ratio < 1)) throw new RpcError('bad_request', `split ratio must be between 0 and 1 (exclusive), got ${split.ratio}`);
  if (!Number.isSafeInteger(split.seed)) throw new RpcError('bad_request', `split seed must be an integer, got ${split.seed}`);
}

/**
 * Train/val assignment per sample id. `groupOf` (sample id → duplicate group, core/splits/)
 * keeps each group on one side; the split is the same group-aware one `winnow split` stores.
 */
export function stratifiedSplit(samples: Array<{ id: number; label: string | null }>, split: ExportSplit, groupOf?: ReadonlyMap<number, number>): Map<number, string> {
  checkSplit(split);
  const names = [...new Set(samples.map((s) => s.label).filter((l): l is string => l !== null))].sort();
  const codeOf = new Map(names.map((n, i) => [n, i]));
  const { assign } = groupAwareSplit({
    ids: samples.map((s) => s.id),
    labels: Int32Array.from(samples, (s) => (s.label === null ? -1 : codeOf.get(s.label)!)),
    groupings: groupOf ? [Int32Array.from(samples, (s) => groupOf.get(s.id) ?? -1)] : [],
    shares: [{ name: TRAIN, ratio: split.ratio }, { name: VAL, ratio: 1 - split.ratio }],
    seed: split.seed,
  });
  return new Map(samples.map((s, i) => [s.id, assign[i] === 0 ? TRAIN : VAL]));
}
