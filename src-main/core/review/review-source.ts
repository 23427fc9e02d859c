// What a review works on: the project's stores, and the samples of one queue (a slice by ref,
// or the ids the renderer sends: its selection).
import { RpcError } from '../../../src-shared/rpc/errors';
import type { SliceInfo } from '../../../src-shared/model/slice';
import type { Catalog } from '../catalog/catalog';
import type { LabelEdits } from '../labels/label-edits';
import type { MapStore } from '../map/map-store';
import type { SliceStore } from '../slices/slice-store';

export interface ReviewProject {
  catalog: Catalog;
  maps: MapStore;
  slices: SliceStore;
  labels: LabelEdits;
}

export interface QueueSource { slice?: string; ids?: Int32Array }

/** Where the position of a queue built from ids (not a slice) is kept. */
export const SELECTION_KEY = 'selection';

export interface ResolvedSource {
  /** The queue's samples: a slice's in pick (rank) order, ids as given (duplicates dropped). */
  ids: Int32Array;
  /** The slice, when the queue is one; its "name@version" is the position key. */
  slice: SliceInfo | null;
  key: string;
}

/** A slice wins over ids when both are given: the slice is the queue, ids are only a selection. */
export function resolveSource(p: ReviewProject, src: QueueSource): ResolvedSource {
  if (src.slice !== undefined) {
    const slice = p.slices.resolve(src.slice);
    const ids = Int32Array.from(p.slices.members(slice.id), (m) => m.sampleId);
    return { ids, slice, key: `${slice.name}@${slice.version}` };
  }
  if (!src.ids) throw new RpcError('bad_request', 'a review queue needs a slice or sample ids');
  const seen = new Set<number>();
  const ids: number[] = [];
  for (const id of src.ids) if (!seen.has(id)) { seen.add(id); ids.push(id); }
  return { ids: Int32Array.from(ids), slice: null, key: SELECTION_KEY };
}
