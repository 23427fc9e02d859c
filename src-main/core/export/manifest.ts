// The manifest travels with the exported files: one row per file with where it came from, its
// labels and scores, in CSV for people and JSON for programs (and for the next merge).
import { csvLine } from './csv-write';
import type { ExportProblem, FolderRename } from '../../../src-shared/model/export';

export const MANIFEST_COLUMNS = [
  'path', 'sample_id', 'label', 'original_label', 'label_folder', 'split', 'dataset_split',
  'slice', 'pick_rank', 'pick_reason',
  'sparseness', 'noise', 'suggested_label', 'suggested_confidence', 'dup_group', 'exact_dup_group', 'cluster',
  'source_path', 'content_hash', 'renamed',
] as const;

type Column = (typeof MANIFEST_COLUMNS)[number];
export type ManifestRow = { [K in Column]: K extends 'sample_id' ? number : K extends 'path' | 'label_folder' | 'source_path' | 'content_hash' ? string : string | number | null };

export interface ManifestDoc {
  format: 'winnow-manifest';
  version: 1;
  columns: readonly string[];
  rows: ManifestRow[];
  labelFolders: FolderRename[];
  problems: ExportProblem[];
}

const CHUNK = 1 << 16;

/** Joins small pieces into ~64 KB chunks: few writes, no giant string. */
function* chunked(pieces: Iterable<string>): Generator<string> {
  let buf = '';
  for (const p of pieces) {
    buf += p;
    if (buf.length >= CHUNK) { yield buf; buf = ''; }
  }
  if (buf) yield buf;
}

export function manifestCsv(rows: ManifestRow[]): Iterable<string> {
  return chunked((function* () {
    yield csvLine([...MANIFEST_COLUMNS]);
    for (const r of rows) yield csvLine(MANIFEST_COLUMNS.map((c) => r[c]));
  })());
}

export function manifestJson(rows: ManifestRow[], labelFolders: FolderRename[], problems: ExportProblem[]): Iterable<string> {
  const head: Omit<ManifestDoc, 'rows' | 'labelFolders' | 'problems'> = { format: 'winnow-manifest', version: 1, columns: MANIFEST_COLUMNS };
  // One row per line: diffable and greppable, a third of the size of indented JSON.
  function* list(name: string, items: unknown[], last: boolean): Generator<string> {
    yield `${JSON.stringify(name)}: [`;
    for (let i = 0; i < items.length; i++) yield `${i ? ',' : ''}\n${JSON.stringify(items[i])}`;
    yield `${items.length ? '\n' : ''}]${last ? '' : ','}\n`;
  }
  return chunked((function* () {
    yield `${JSON.stringify(head).slice(0, -1)},\n`;
    yield* list('labelFolders', labelFolders, false);
    yield* list('problems', problems, false);
    yield* list('rows', rows, true);
    yield '}\n';
  })());
}

/** The rows of an earlier Winnow manifest, or null when there is none (or it is not ours). */
export function parseManifest(text: string): ManifestRow[] | null {
  try {
    const doc = JSON.parse(text) as Partial<ManifestDoc>;
    if (doc.format !== 'winnow-manifest' || !Array.isArray(doc.rows)) return null;
    return doc.rows.filter((r): r is ManifestRow => !!r && typeof r.path === 'string' && typeof r.sample_id === 'number');
  } catch {
    return null;
  }
}
