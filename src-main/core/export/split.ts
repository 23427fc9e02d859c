// Stratified train/val split: within each label the samples are ordered by a seeded hash of
// their id and the first round(ratio × n) go to train. The same seed gives the same split on
// any machine, and adding a sample to a label moves at most one other sample.
import { createHash } from 'node:crypto';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { ExportSplit } from '../../../src-shared/model/export';

export const TRAIN = 'train';
export const VAL = 'val';

export function checkSplit(split: ExportSplit): void {
  if (!(split.ratio > 0 && split.ratio < 1)) throw new RpcError('bad_request', `split ratio must be between 0 and 1 (exclusive), got ${split.ratio}`);
  if (!Number.isSafeInteger(split.seed)) throw new RpcError('bad_request', `split seed must be an integer, got ${split.seed}`);
}

export function stratifiedSplit(samples: Array<{ id: number; label: string | null }>, split: ExportSplit): Map<number, string> {
  checkSplit(split);
  const groups = new Map<string | null, Array<{ id: number; key: string }>>();
  for (const s of samples) {
    let g = groups.get(s.label);
    if (!g) groups.set(s.label, (g = []));
    g.push({ id: s.id, key: createHash('sha1').update(`${split.seed}:${s.id}`).digest('hex') });
  }
  const out = new Map<number, string>();
  for (const g of groups.values()) {
    g.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
    const nTrain = Math.round(split.ratio * g.length);
    g.forEach((s, i) => out.set(s.id, i < nTrain ? TRAIN : VAL));
  }
  return out;
}
