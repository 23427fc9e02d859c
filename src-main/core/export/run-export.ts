// The export job as the app starts it: resolves the source (slice, query, selection, all)
// into sample ids, then exports them.
import type { JobParams } from '../../../src-shared/contract/job-map';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { parseSliceRef } from '../slices/slice-store';
import type { JobContext } from '../jobs/job-manager';
import { exportSamples } from './export';
import { selectSamples } from './select';
import type { ExportSource, ExportSummary } from '../../../src-shared/model/export';

export async function runExport(catalog: Catalog, p: JobParams<'export'>, ctx: JobContext): Promise<ExportSummary> {
  let source: ExportSource;
  let sampleIds: number[];
  if (p.source.kind === 'selection') {
    source = { kind: 'selection' };
    sampleIds = p.source.ids;
  } else {
    source = p.source.kind === 'slice' ? { kind: 'slice', ...parseSliceRef(p.source.ref) } : p.source.kind === 'query' ? { kind: 'query', name: p.source.query } : { kind: 'all' };
    sampleIds = selectSamples(catalog, source);
    if (sampleIds.length === 0) throw new RpcError('bad_request', `nothing to export: the ${source.kind === 'all' ? 'project' : source.kind} selects no samples`);
  }
  return exportSamples(catalog, { sampleIds, out: p.out, layout: p.layout, split: p.split, mode: p.mode, link: p.link, source }, ctx);
}
