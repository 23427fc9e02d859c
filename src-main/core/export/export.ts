// Export of a set of samples as a folder a training script can read: plan every path first,
// write into a partial sibling folder, add the manifests, then rename it into place.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { APP_VERSION } from '../version';
import type { SliceInfo } from '../../../src-shared/model/slice';
import { SliceStore } from '../slices/slice-store';
import { datasetRoots, embeddingInfo, loadSampleRows, loadScores, scoresMap, storedPixels } from './catalog-reads';
import { TMP_PREFIX, checkDestination, refuseLinks, commitPartial, recoverInterruptedSwap, describeFsError, discardPartial, keepPartial, notEmpty, openPartial, type Destination, type PartialFolder } from './destination';
import { nodeIo, type ExportIo } from './io';
import { manifestCsv, manifestJson, parseManifest, type ManifestRow } from './manifest';
import { INFO_JSON, MANIFEST_CSV, MANIFEST_JSON, planExport, type ExistingTree, type Plan } from './plan';
import { checkSplit, stratifiedSplit } from './split';
import { splitGroups } from '../splits/split-groups';
import type { ExportOptions, ExportSummary } from '../../../src-shared/model/export';
import { seedFromExisting, writeFiles, type WriteStats } from './write-files';

export async function exportSamples(catalog: Catalog, options: ExportOptions, ctx: JobContext, io: ExportIo = nodeIo): Promise<ExportSummary> {
  const started = Date.now();
  const link = options.link ?? 'copy';
  validate(options, link);
  const roots = datasetRoots(catalog);
  checkDestination(options.out, options.mode, roots, catalog.path);
  recoverInterruptedSwap(options.out);
  const dest = checkDestination(options.out, options.mode, roots, catalog.path);
  ctx.progress(0, options.sampleIds.length, 'planning');

  const rows = loadSampleRows(catalog, options.sampleIds);
  const slice = options.source.kind === 'slice' && options.source.name !== undefined ? new SliceStore(catalog).find(options.source.name, options.source.version) : null;
  const splitOf = options.split ? stratifiedSplit(rows, options.split, await duplicateGroupOf(catalog, ctx.signal)) : null;
  if (options.mode === 'merge' && dest.exists) refuseLinks(dest.out);
  const previousRows = options.mode === 'merge' && dest.exists ? readPreviousRows(dest.out) : null;
  const existing = options.mode === 'merge' && dest.exists ? existingTree(dest.out, previousRows ?? []) : null;
  const plan = planExport(rows, options.layout, splitOf, existing);
  const planId = planIdOf(dest, options, link, plan);

  const base = { out: dest.out, layout: options.layout, mode: options.mode, link, requested: rows.length };
  if (options.mode === 'new' && dest.nonEmpty) {
    // Re-running a finished export (e.g. after a crash right after the final rename) is a no-op.
    if (dest.previousInfo?.planId !== planId) throw notEmpty(dest.out);
    return alreadyComplete(base, dest, started);
  }

  const partial = openPartial(dest, planId);
  try {
    if (existing) {
      ctx.progress(0, plan.files.length, 'linking the existing files');
      await seedFromExisting(dest.out, partial, io, ctx.signal);
    }
    const pixels = storedPixels(catalog);
    const stats = await writeFiles(plan.files, partial, { link, io, pixels, signal: ctx.signal, progress: (d, t) => ctx.progress(d, t), out: dest.out });
    ctx.progress(plan.files.length, plan.files.length, 'writing the manifest');
    const summary = await finish(catalog, options, link, dest, partial, planId, plan, stats, slice, previousRows, io, started);
    commitPartial(dest, partial, planId);
    return summary;
  } catch (err) {
    // A cancelled export keeps its partial folder, which the same request resumes; any other
    // failure leaves nothing behind.
    if (ctx.signal.aborted) keepPartial(partial);
    else discardPartial(partial);
    throw err;
  }
}

/** Sample id → duplicate group (the leak check's groups), so no group is split across train and val. */
async function duplicateGroupOf(catalog: Catalog, signal: AbortSignal): Promise<Map<number, number>> {
  const g = await splitGroups(catalog, { signal });
  const out = new Map<number, number>();
  g.ids.forEach((id, i) => { if (g.groupOf[i]! >= 0) out.set(id, g.groupOf[i]!); });
  return out;
}

function validate(o: ExportOptions, link: string): void {
  if (o.layout !== 'imagefolder' && o.layout !== 'flat') throw new RpcError('bad_request', `unknown layout "${String(o.layout)}" (imagefolder or flat)`);
  if (o.mode !== 'new' && o.mode !== 'merge' && o.mode !== 'replace') throw new RpcError('bad_request', `unknown mode "${String(o.mode)}" (new, merge or replace)`);
  if (link !== 'copy' && link !== 'hardlink') throw new RpcError('bad_request', `unknown link "${link}" (copy or hardlink)`);
  if (o.split) checkSplit(o.split);
  if (!o.out) throw new RpcError('bad_request', 'no destination folder given');
  if (o.sampleIds.length === 0) throw new RpcError('bad_request', 'nothing to export: no samples selected');
}

function planIdOf(dest: Destination, o: ExportOptions, link: string, plan: Plan): string {
  const h = createHash('sha256').update(JSON.stringify({ v: 1, out: dest.out, mode: o.mode, link, layout: o.layout, split: o.split ?? null }));
  for (const f of plan.files) h.update(`\n${f.row.id}\t${f.path}\t${f.action}\t${f.row.contentHash}`);
  return h.digest('hex').slice(0, 12);
}

function readPreviousRows(out: string): ManifestRow[] | null {
  let text: string;
  try {
    // Never through a link: the manifest, like everything in the destination, must be a plain file.
    if (!lstatSync(join(out, MANIFEST_JSON)).isFile()) throw new RpcError('bad_request', `cannot merge: ${join(out, MANIFEST_JSON)} is not a plain file`);
    text = readFileSync(join(out, MANIFEST_JSON), 'utf8');
  } catch (err) {
    if (err instanceof RpcError) throw err;
    return null;
  }
  return parseManifest(text, join(out, MANIFEST_JSON));
}

function existingTree(out: string, previous: ManifestRow[]): ExistingTree {
  const labelFolders = new Map<string | null, string>();
  const files = new Map<string, { sampleId: number; contentHash: string }>();
  for (const r of previous) {
    const label = typeof r.label === 'string' ? r.label : null;
    if (typeof r.label_folder === 'string' && r.label_folder !== '' && !labelFolders.has(label)) labelFolders.set(label, r.label_folder);
    files.set(r.path, { sampleId: r.sample_id, contentHash: String(r.content_hash) });
  }
  return {
    names: (dir) => {
      try { return readdirSync(join(out, dir)).filter((n) => !n.startsWith(TMP_PREFIX)); } catch { return []; }
    },
    labelFolders,
    files,
  };
}

async function finish(
  catalog: Catalog, o: ExportOptions, link: ExportSummary['link'], dest: Destination, partial: PartialFolder, planId: string,
  plan: Plan, stats: WriteStats, slice: SliceInfo | null, previousRows: ManifestRow[] | null, io: ExportIo, started: number,
): Promise<ExportSummary> {
  const exported = plan.files.filter((f) => stats.present.has(f.path));
  const ids = new Set(exported.map((f) => f.row.id));
  const mapId = scoresMap(catalog, slice?.mapId ?? null);
  const scores = mapId !== null ? loadScores(catalog, mapId, ids) : new Map();
  const members = slice ? new Map(new SliceStore(catalog).members(slice.id).map((m) => [m.sampleId, m])) : null;
  const sliceName = slice ? `${slice.name}@${slice.version}` : null;

  let rows: ManifestRow[] = exported.map((f) => {
    const s = scores.get(f.row.id);
    const m = members?.get(f.row.id);
    return {
      path: f.path, sample_id: f.row.id, label: f.row.label, original_label: f.row.originalLabel, label_folder: f.folder,
      split: f.split, dataset_split: f.row.datasetSplit,
      slice: m ? sliceName : null, pick_rank: m?.rank ?? null, pick_reason: m?.reason ?? null,
      sparseness: s?.sparseness ?? null, noise: s?.noise ?? null, suggested_label: s?.suggestedLabel ?? null, suggested_confidence: s?.suggestedConfidence ?? null,
      dup_group: s?.dupGroup ?? null, exact_dup_group: s?.exactDupGroup ?? null, cluster: s?.cluster ?? null,
      source_path: f.sourcePath, content_hash: f.row.contentHash, renamed: f.renamed,
    };
  });
  if (previousRows) {
    const mine = new Set(rows.map((r) => r.path));
    rows = [...previousRows.filter((r) => !mine.has(r.path)), ...rows];
  }
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const problems = [...plan.problems, ...stats.problems].sort((a, b) => a.sampleId - b.sampleId);
  const byLabelMap = new Map<string | null, number>();
  const bySplit: Record<string, number> = o.split ? { train: 0, val: 0 } : {};
  for (const f of exported) {
    byLabelMap.set(f.row.label, (byLabelMap.get(f.row.label) ?? 0) + 1);
    if (f.split) bySplit[f.split] = (bySplit[f.split] ?? 0) + 1;
  }
  const byLabel = [...byLabelMap].map(([label, count]) => ({ label, folder: plan.folders.get(label) ?? '', count }))
    .sort((a, b) => b.count - a.count || String(a.label).localeCompare(String(b.label)));

  const info = {
    format: 'winnow-export',
    formatVersion: 1,
    planId,
    winnowVersion: APP_VERSION,
    exportedAt: new Date().toISOString(),
    project: catalog.path,
    source: { ...o.source, slice: slice ? { name: slice.name, version: slice.version, mode: slice.mode, params: slice.params, seed: slice.seed, mapId: slice.mapId, createdAt: slice.createdAt } : undefined },
    layout: o.layout,
    mode: o.mode,
    link,
    split: o.split ? { ...o.split, stratifiedBy: 'label', names: ['train', 'val'] } : null,
    embedding: embeddingInfo(catalog, mapId),
    scoresMapId: mapId,
    counts: { requested: plan.files.length + plan.problems.length, exported: exported.length, problems: problems.length, manifestRows: rows.length },
    labelFolders: plan.folderRenames,
    // A merge keeps the story of what the folder was built from.
    previous: o.mode === 'merge' && dest.previousInfo
      ? [...(Array.isArray(dest.previousInfo.previous) ? (dest.previousInfo.previous as unknown[]) : []), { ...dest.previousInfo, previous: undefined }]
      : undefined,
  };

  const write = async (name: string, text: string | Iterable<string>) => {
    const tmp = join(partial.path, `${TMP_PREFIX}${name}`);
    try {
      await io.writeFile(tmp, text);
      await io.rename(tmp, join(partial.path, name));
    } catch (err) {
      throw describeFsError(err, `cannot write the export to ${dest.out}`);
    }
  };
  await write(MANIFEST_CSV, manifestCsv(rows));
  await write(MANIFEST_JSON, manifestJson(rows, plan.folderRenames, problems));
  await write(INFO_JSON, `${JSON.stringify(info, null, 2)}\n`);

  return {
    out: dest.out, layout: o.layout, mode: o.mode, link, requested: plan.files.length + plan.problems.length,
    exported: exported.length, copied: stats.copied, linked: stats.linked, encoded: stats.encoded, resumedFiles: stats.resumed, unchanged: stats.unchanged,
    alreadyComplete: false, byLabel, bySplit: o.split ? bySplit : null, folderRenames: plan.folderRenames, fileRenames: plan.fileRenames.length,
    problems, warnings: stats.warnings,
    files: { manifestCsv: join(dest.out, MANIFEST_CSV), manifestJson: join(dest.out, MANIFEST_JSON), info: join(dest.out, INFO_JSON) },
    seconds: (Date.now() - started) / 1000,
  };
}

function alreadyComplete(base: Pick<ExportSummary, 'out' | 'layout' | 'mode' | 'link' | 'requested'>, dest: Destination, started: number): ExportSummary {
  const rows = readPreviousRows(dest.out) ?? [];
  const byLabelMap = new Map<string | null, { folder: string; count: number }>();
  const bySplit: Record<string, number> = {};
  for (const r of rows) {
    const label = typeof r.label === 'string' ? r.label : null;
    const e = byLabelMap.get(label) ?? { folder: String(r.label_folder ?? ''), count: 0 };
    e.count++;
    byLabelMap.set(label, e);
    if (typeof r.split === 'string') bySplit[r.split] = (bySplit[r.split] ?? 0) + 1;
  }
  let problems: ExportSummary['problems'] = [];
  try { problems = (JSON.parse(readFileSync(join(dest.out, MANIFEST_JSON), 'utf8')) as { problems?: ExportSummary['problems'] }).problems ?? []; } catch { /* none */ }
  return {
    ...base, exported: rows.length, copied: 0, linked: 0, encoded: 0, resumedFiles: 0, unchanged: rows.length, alreadyComplete: true,
    byLabel: [...byLabelMap].map(([label, e]) => ({ label, ...e })).sort((a, b) => b.count - a.count),
    bySplit: Object.keys(bySplit).length ? bySplit : null, folderRenames: [], fileRenames: 0, problems,
    warnings: [`${dest.out} already holds this export; nothing was written`],
    files: { manifestCsv: join(dest.out, MANIFEST_CSV), manifestJson: join(dest.out, MANIFEST_JSON), info: join(dest.out, INFO_JSON) },
    seconds: (Date.now() - started) / 1000,
  };
}
