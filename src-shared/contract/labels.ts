import { z } from 'zod';
import { method } from './define';
import type { EditResult, HistoryEntry } from '../model/edit';

const ids = z.array(z.number().int().nonnegative()).min(1, 'select at least one sample').max(1_000_000);

export const labelsContract = {
  'labels.set': method(z.object({ ids, label: z.string().max(2000) })).returns<EditResult>(),
  'labels.exclude': method(z.object({ ids, excluded: z.boolean() })).returns<EditResult>(),
  'labels.undo': method(z.object({})).returns<EditResult>(),
  'labels.redo': method(z.object({})).returns<EditResult>(),
  'labels.history': method(z.object({ id: z.number().int().nonnegative() })).returns<HistoryEntry[]>(),
};
