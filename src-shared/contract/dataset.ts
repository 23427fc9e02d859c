import { z } from 'zod';
import { method } from './define';
import type { DatasetOverview } from '../model/dataset';
import type { ImagePayload, SampleColumns, SampleDetail } from '../model/sample';
import type { ThumbnailAtlas } from '../model/atlas';
import type { MetadataColumn } from '../model/metadata';
import type { ImportFailuresPage } from '../model/import';

export const importSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('folder'), path: z.string().min(1, 'folder path is empty').max(4096), labelsFile: z.string().min(1).max(4096).optional(),
    // Per-file limits a user can raise for legitimately huge or slow images.
    maxMegapixels: z.number().positive().max(10_000).optional(),
    decodeTimeoutSeconds: z.number().int().min(1).max(3600).optional(),
  }),
  z.object({ kind: z.literal('mnist') }),
]);
export type ImportSource = z.infer<typeof importSource>;

const sampleId = z.number().int().nonnegative();

export const datasetContract = {
  'dataset.import': method(z.object({ source: importSource })).returns<{ jobId: string }>(),
  'dataset.importFailures': method(z.object({ jobId: z.string().min(1).max(100), after: z.string().max(4096).nullable().optional(), limit: z.number().int().min(1).max(10_000).optional() })).returns<ImportFailuresPage>(),
  'dataset.overview': method(z.object({})).returns<DatasetOverview>(),
  'samples.columns': method(z.object({})).returns<SampleColumns>(),
  'samples.get': method(z.object({ id: sampleId })).returns<SampleDetail>(),
  'samples.image': method(z.object({ id: sampleId })).returns<ImagePayload>(),
  'samples.query': method(z.object({ query: z.string().max(10_000) })).returns<{ ids: Int32Array }>(),
  'samples.atlas': method(z.object({
    ids: z.array(sampleId).max(4096),
    rows: z.array(z.number().int().nonnegative()).max(4096),
    cell: z.number().int().min(8).max(256).optional(),
  }).refine((a) => a.ids.length === a.rows.length, 'ids and rows differ in length')).returns<ThumbnailAtlas>(),
  'samples.metadataColumn': method(z.object({ field: z.string().min(1).max(200) }), { timeoutMs: 120_000 }).returns<MetadataColumn>(),
  'samples.thumbnails': method(z.object({ ids: z.array(sampleId).max(2000) })).returns<{ items: Array<ImagePayload | null> }>(),
};
