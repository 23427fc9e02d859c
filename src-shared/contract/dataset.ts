import { z } from 'zod';
import { method } from './define';
import type { DatasetOverview } from '../model/dataset';
import type { ImagePayload, SampleColumns, SampleDetail } from '../model/sample';
import { ATLAS_DEFAULT_CELL, ATLAS_MAX_CELLS, atlasRequestProblem, type ThumbnailAtlas } from '../model/atlas';
import type { MetadataColumn } from '../model/metadata';
import type { ImportFailuresPage } from '../model/import';

export const importSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('folder'), path: z.string().min(1, 'folder path is empty').max(4096), labelsFile: z.string().min(1).max(4096).optional(),
    // Per-file limits a user can raise for legitimately huge or slow images.
    maxMegapixels: z.number({ message: 'must be a number of megapixels above 0 and at most 10000' }).positive('must be a number of megapixels above 0 and at most 10000').max(10_000, 'must be a number of megapixels above 0 and at most 10000').optional(),
    decodeTimeoutSeconds: z.number({ message: 'must be a whole number of seconds from 1 to 3600' }).int('must be a whole number of seconds from 1 to 3600').min(1, 'must be a whole number of seconds from 1 to 3600').max(3600, 'must be a whole number of seconds from 1 to 3600').optional(),
  }),
  // The built-in demo sets: MNIST, and Fashion-MNIST where its files are installed.
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
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
    ids: z.array(sampleId).max(ATLAS_MAX_CELLS),
    rows: z.array(z.number().int().nonnegative()).max(ATLAS_MAX_CELLS),
    cell: z.number().int().min(8).max(256).optional(),
  }).superRefine((a, ctx) => {
    const problem = atlasRequestProblem(a.ids, a.rows, a.cell ?? ATLAS_DEFAULT_CELL);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })).returns<ThumbnailAtlas>(),
  'samples.metadataColumn': method(z.object({ field: z.string().min(1).max(200) }), { timeoutMs: 120_000 }).returns<MetadataColumn>(),
  'samples.thumbnails': method(z.object({ ids: z.array(sampleId).max(2000) })).returns<{ items: Array<ImagePayload | null> }>(),
};
