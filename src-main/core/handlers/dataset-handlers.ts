import type { datasetContract } from '../../../src-shared/contract/dataset';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { packAtlas } from '../images/atlas';
import { ATLAS_DEFAULT_CELL } from '../../../src-shared/model/atlas';
import { failurePage } from '../import/failures';
import { readSampleImage } from '../images/sample-image';
import { runQuery } from '../query/run-query';
import type { WinnowCore } from '../winnow-core';

export function datasetHandlers(core: WinnowCore): Handlers<typeof datasetContract> {
  return {
    'dataset.import': ({ source }) => ({ jobId: core.project.startImport(source) }),
    'dataset.importFailures': ({ jobId, after, limit }) => failurePage(core.project.catalog, jobId, { after, limit }),
    'dataset.overview': () => core.project.catalog.overview(),
    'samples.columns': () => core.project.catalog.columns(),
    'samples.get': ({ id }) => core.project.catalog.sample(id),
    'samples.image': ({ id }) => readSampleImage(core.project.catalog, id),
    'samples.query': ({ query }) => ({ ids: runQuery(core.project.catalog, query) }),
    'samples.atlas': ({ ids, rows, cell }) => packAtlas(core.project.catalog, ids, rows, cell ?? ATLAS_DEFAULT_CELL),
    'samples.metadataColumn': ({ field }) => core.project.catalog.metadataColumn(field),
    'samples.thumbnails': ({ ids }) => ({ items: core.project.catalog.thumbnails(ids) }),
  };
}
