import { z } from 'zod';
import { method } from './define';
import type { EditResult, HistoryEntry } from '../model/edit';

const MAX_IDS = 1_000_000;

// Sample ids: the renderer sends an Int32Array (a binary frame); a plain array is accepted for
// the CLI and scripts. Either way the handler gets an Int32Array.
const ids = z.union([
  z.instanceof(Int32Array),
  z.array(z.number().int().nonnegative()).max(MAX_IDS).transform((a) => Int32Array.from(a)),
])
  .refine((a) => a.length > 0, 'select at least one sample')
  .refine((a) => a.length <= MAX_IDS, `at most ${MAX_IDS.toLocaleString('en-US')} samples at once`)
  .refine((a) => a.every((v) => v >= 0), 'sample ids are non-negative');

export const labelsContract = {
  'labels.set': method(z.object({ ids, label: z.string().max(2000) })).returns<EditResult>(),
  'labels.exclude': method(z.object({ ids, excluded: z.boolean() })).returns<EditResult>(),
  'labels.undo': method(z.object({})).returns<EditResult>(),
  'labels.redo': method(z.object({})).returns<EditResult>(),
  'labels.history': method(z.object({ id: z.number().int().nonnegative() })).returns<HistoryEntry[]>(),
};
