// The manifest travels with the exported files: one row per file with where it came from, its
// labels and scores, in CSV for people and JSON for programs (and for the next merge).
import { RpcError } from '../../../src-shared/rpc/errors';
import { csvLine } from './csv-write';
import type { ExportProblem, FolderRename } from '../../../src-shared/model/export';
import { safeFileName, safeFolderName } from './safe-name';

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

/**
 * The rows of an earlier Winnow manifest, or null when there is none (or it is not ours). The
 * destination is not ours to trust: a merge builds paths from these rows, so a row that is not
 * exactly what an export writes (a path or folder that is not a plain name, a wrong type) is
 * refused with its row number rather than used.
 */
export function parseManifest(text: string, where = MANIFEST_NAME): ManifestRow[] | null {
  let doc: Partial<ManifestDoc>;
  try {
    doc = JSON.parse(text) as Partial<ManifestDoc>;
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object' || doc.format !== 'winnow-manifest') return null;
  if (!Array.isArray(doc.rows)) throw badManifest(where, 'it has no list of rows');
  return doc.rows.map((r, i) => checkRow(r, i, where));
}

const MANIFEST_NAME = 'manifest.json';
const MAX_CELL = 10_000;

function badManifest(where: string, why: string): RpcError {
  return new RpcError('bad_request', `cannot merge: ${where} was edited or damaged (${why}); restore it, delete it, or export to a new folder`);
}

function checkRow(raw: unknown, i: number, where: string): ManifestRow {
  const bad = (why: string) => badManifest(where, `row ${i + 1}: ${why}`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('not an object');
  const r = raw as Record<string, unknown>;
  const out: Record<string, string | number | null> = {};
  for (const c of MANIFEST_COLUMNS) {
    const v = r[c] ?? null;
    if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bad(`${c} is neither text nor a number`);
    if (typeof v === 'string' && v.length > MAX_CELL) throw bad(`${c} is over ${MAX_CELL} characters`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw bad(`${c} is not a finite number`);
    out[c] = v;
  }
  if (!Number.isSafeInteger(out.sample_id) || (out.sample_id as number) < 0) throw bad('sample_id is not a sample id');
  if (typeof out.path !== 'string' || !isExportPath(out.path)) throw bad(`path ${JSON.stringify(out.path)} is not a path an export writes`);
  const folder = out.label_folder ?? '';
  if (typeof folder !== 'string' || (folder !== '' && safeFolderName(folder) !== folder)) throw bad(`label_folder ${JSON.stringify(folder)} is not a plain folder name`);
  out.label_folder = folder;
  if (typeof out.content_hash !== 'string') throw bad('content_hash is missing');
  if (typeof out.source_path !== 'string') out.source_path = '';
  return out as ManifestRow;
}

/** `a/b/c.png` where every part is a name the export itself would write: no `..`, no separators, no hidden names. */
function isExportPath(p: string): boolean {
  const parts = p.split('/');
  if (parts.length > 3) return false;
  return parts.every((part, j) => part !== '' && (j === parts.length - 1 ? safeFileName(part) === part : safeFolderName(part) === part));
}
