// The leak check: duplicate groups (split-groups.ts) whose members sit in different splits,
// with counts per split pair and class and one page of pairs. The groups of the last check are
// kept per catalog until samples, splits (any edit) or scores change, so paging does not
// redo the grouping.
import { RpcError } from '../../../src-shared/rpc/errors';
import type { LeakReport } from '../../../src-shared/contract/splits';
import type { Catalog } from '../catalog/catalog';
import { findLeaks, leakPairsPage, type LeakFindings } from './engine/leak-pairs';
import { splitGroups, type SplitGroups } from './split-groups';

interface Checked { key: string; groups: SplitGroups; split: Int32Array; splitNames: string[]; findings: LeakFindings }
const last = new WeakMap<Catalog, Checked>();

export async function checkLeaks(catalog: Catalog, opts: { offset?: number; limit?: number; signal?: AbortSignal } = {}): Promise<LeakReport> {
  const c = await checked(catalog, opts.signal);
  const { groups: g, split, splitNames, findings } = c;
  const offset = opts.offset ?? 0;
  const side = (i: number) => ({ id: g.ids[i]!, split: splitNames[split[i]!]!, label: g.labels[i]!, path: g.paths[i]! });
  const page = leakPairsPage(findings, split, g.hashes, offset, opts.limit ?? 50).map((p) => ({ a: side(p.a), b: side(p.b), exact: p.exact }));
  const bySplit = new Map<string | null, number>();
  for (const s of g.splits) bySplit.set(s, (bySplit.get(s) ?? 0) + 1);
  const leakingIds = Int32Array.from(g.ids.filter((_, i) => findings.leaking[i] === 1));
  return {
    splits: [...bySplit].map(([name, samples]) => ({ name, samples })).sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff')),
    ...findings.counts, page, offset, leakingIds, sources: g.sources,
  };
}

async function checked(catalog: Catalog, signal?: AbortSignal): Promise<Checked> {
  const key = fingerprint(catalog);
  const hit = last.get(catalog);
  if (hit && hit.key === key) return hit;
  // Checked before the grouping, which would store groups for the query field.
  const splitNames = catalog.db.prepare('SELECT DISTINCT split FROM samples WHERE split IS NOT NULL ORDER BY split').pluck().all() as string[];
  if (splitNames.length < 2) {
    throw new RpcError('precondition', splitNames.length === 0
      ? 'the dataset has no splits: no sample has a split field (MNIST sets train/test; make one with winnow split --ratios train=0.8,val=0.2)'
      : `the dataset has one split only ("${splitNames[0]}"): nothing can leak between splits`);
  }
  const groups = await splitGroups(catalog, { signal });
  const codeOf = new Map(splitNames.map((s, i) => [s, i]));
  const split = Int32Array.from(groups.splits, (s) => (s === null ? -1 : codeOf.get(s)!));
  const classNames = [...new Set(groups.labels.filter((l): l is string => l !== null))].sort();
  const classOf = new Map(classNames.map((s, i) => [s, i]));
  const labels = Int32Array.from(groups.labels, (l) => (l === null ? -1 : classOf.get(l)!));
  const findings = findLeaks({ groupOf: groups.groupOf, split, splitNames, labels, classNames, hashes: groups.hashes });
  const entry = { key: fingerprint(catalog), groups, split, splitNames, findings };
  last.set(catalog, entry);
  return entry;
}

/** Changes whenever samples, any edit (splits included) or the newest scores change. */
function fingerprint(catalog: Catalog): string {
  const row = catalog.db.prepare(`SELECT (SELECT COUNT(*) FROM samples), (SELECT MAX(id) FROM samples), (SELECT MAX(id) FROM label_history),
    (SELECT MAX(id) FROM maps), (SELECT COUNT(*) || ':' || TOTAL(dup_group) FROM scores WHERE map_id = (SELECT MAX(id) FROM maps))`).raw().get() as unknown[];
  return JSON.stringify(row);
}
