import { parseQuery, QueryError } from '../../../src-shared/query/parse';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { compileQuery } from './to-sql';

/** Sample ids matching a query text, ascending. Bad queries become `bad_request` errors. */
export function runQuery(catalog: Catalog, text: string): Int32Array {
  let ast;
  try {
    ast = parseQuery(text);
  } catch (err) {
    if (err instanceof QueryError) throw new RpcError('bad_request', `query: ${err.message}`);
    throw err;
  }
  const mapId = catalog.db.prepare('SELECT MAX(id) FROM maps').pluck().get() as number | null;
  const hasScores = mapId !== null && (catalog.db.prepare('SELECT 1 FROM scores WHERE map_id = ? LIMIT 1').pluck().get(mapId) !== undefined);
  const q = compileQuery(ast, catalog.metadataFields(), hasScores);
  if (q.usesLeaks && catalog.db.prepare('SELECT 1 FROM leak_check').pluck().get() === undefined) {
    throw new RpcError('precondition', '"leaks" needs a leak check first (winnow leaks, or the Leaks panel)');
  }
  const join = q.usesScores ? 'LEFT JOIN scores sc ON sc.sample_id = s.id AND sc.map_id = ?' : '';
  const params = q.usesScores ? [mapId, ...q.params] : q.params;
  const ids = catalog.db.prepare(`SELECT s.id FROM samples s ${join} WHERE ${q.where} ORDER BY s.id`).pluck().all(...params) as number[];
  return Int32Array.from(ids);
}
