// Turns "what to export" (a slice, a query, everything) into sample ids.
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { runQuery } from '../query/run-query';
import { SliceStore } from '../slices/slice-store';
import { allSampleIds } from './catalog-reads';
import type { ExportSource } from '../../../src-shared/model/export';

export function selectSamples(catalog: Catalog, source: ExportSource): number[] {
  switch (source.kind) {
    case 'all':
      return allSampleIds(catalog);
    case 'slice': {
      if (!source.name) throw new RpcError('bad_request', 'a slice export needs the slice name');
      const slices = new SliceStore(catalog);
      return slices.members(slices.find(source.name, source.version).id).map((m) => m.sampleId);
    }
    case 'query':
      // The query bar's language; what it matches is exported as is (excluded samples too).
      return Array.from(runQuery(catalog, source.name ?? ''));
    case 'selection':
      throw new RpcError('bad_request', 'a selection export passes its sample ids directly');
  }
}
