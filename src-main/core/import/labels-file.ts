// Labels files: CSV or JSON rows with `path` (relative to the dataset folder) and `label`; an
// optional `split` column is the sample's split (train, val, …); every other column is kept as metadata. Problems are reported per row, never thrown away.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { RpcError } from '../../../src-shared/rpc/errors';
import { unneutraliseCell } from '../export/csv-write';
import { parseCsv } from './csv';
import { safeRelativePath } from './paths';

export interface LabelRow {
  relPath: string;
  label: string | null;
  /** From a `split` column (train, val, test, …); null without one or when the cell is empty. */
  split: string | null;
  metadata: Record<string, string | number | null>;
}

export interface LabelsFile {
  rows: LabelRow[];
  problems: Array<{ path: string; reason: string }>;
}

export function readLabelsFile(file: string): LabelsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RpcError('not_found', `cannot read labels file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const records = extname(file).toLowerCase() === '.json' ? jsonRecords(text, file) : csvRecords(text, file);
  const rows: LabelRow[] = [];
  const problems: LabelsFile['problems'] = [];
  const seen = new Set<string>();
  records.forEach((rec, i) => {
    const rawPath = rec.path;
    const where = `${file}:${i + 2}`;
    if (typeof rawPath !== 'string' || rawPath.trim() === '') return problems.push({ path: where, reason: 'row has no path' });
    const rel = safeRelativePath(rawPath.trim());
    if (!rel.ok) return problems.push({ path: rawPath, reason: rel.reason });
    if (seen.has(rel.path)) return problems.push({ path: rawPath, reason: 'path listed twice in the labels file; first row kept' });
    seen.add(rel.path);
    // No prototype: a key like "__proto__" is data here, never a setter.
    const metadata: LabelRow['metadata'] = Object.create(null) as LabelRow['metadata'];
    for (const [k, v] of Object.entries(rec)) {
      if (k === 'path' || k === 'label' || k === 'split') continue;
      metadata[k] = v === '' || v === undefined ? null : typeof v === 'number' ? v : numberOrString(String(v));
    }
    const label = rec.label === null || rec.label === undefined ? null : String(rec.label);
    const split = rec.split === null || rec.split === undefined || String(rec.split).trim() === '' ? null : String(rec.split).trim();
    rows.push({ relPath: rel.path, label, split, metadata });
  });
  return { rows, problems };
}

function csvRecords(text: string, file: string): Array<Record<string, unknown>> {
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (err) {
    throw new RpcError('bad_request', `labels file ${file} is not valid CSV: ${(err as Error).message}`);
  }
  const header = (table[0] ?? []).map((h) => h.trim());
  requireColumns(header, file);
  // Cells Winnow's own CSV export prefixed with ' against formula injection read back as written.
  return table.slice(1).map((cells) => Object.fromEntries(header.map((h, j) => [h, unneutraliseCell(cells[j] ?? '')])));
}

function jsonRecords(text: string, file: string): Array<Record<string, unknown>> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new RpcError('bad_request', `labels file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data) || data.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new RpcError('bad_request', `labels file ${file} must be a JSON array of objects with "path" and "label"`);
  }
  const keys = new Set<string>();
  for (const r of data as Array<Record<string, unknown>>) for (const k of Object.keys(r)) keys.add(k);
  requireColumns([...keys], file);
  return data as Array<Record<string, unknown>>;
}

/** Each metadata column becomes an indexed field of the project: a few dozen is plenty. */
export const MAX_METADATA_COLUMNS = 64;
const MAX_COLUMN_NAME = 100;

function requireColumns(columns: string[], file: string): void {
  const missing = ['path', 'label'].filter((c) => !columns.includes(c));
  if (missing.length) throw new RpcError('bad_request', `labels file ${file} is missing required column(s): ${missing.join(', ')} (found: ${columns.slice(0, 20).map((c) => JSON.stringify(c)).join(', ') || 'none'}${columns.length > 20 ? ', …' : ''})`);
  const extra = columns.filter((c) => c !== 'path' && c !== 'label' && c !== 'split');
  if (extra.length > MAX_METADATA_COLUMNS) throw new RpcError('bad_request', `labels file ${file} has ${extra.length} metadata columns; at most ${MAX_METADATA_COLUMNS} are supported — keep the ones you want to query and drop the rest`);
  const seen = new Set<string>();
  extra.forEach((name) => {
    const why = columnNameProblem(name);
    if (why) throw new RpcError('bad_request', `labels file ${file}: column ${JSON.stringify(name)} cannot be used as a metadata field (${why}); rename it`);
    if (seen.has(name)) throw new RpcError('bad_request', `labels file ${file}: column ${JSON.stringify(name)} appears twice`);
    seen.add(name);
  });
}

/** Metadata names are JSON keys, SQL JSON paths and query words: refuse the ones that cannot be all three. */
function columnNameProblem(name: string): string | null {
  if (name === '') return 'it has no name';
  if (name.length > MAX_COLUMN_NAME) return `longer than ${MAX_COLUMN_NAME} characters`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'it contains control characters';
  if (/["\\]/.test(name)) return 'it contains " or \\';
  if (name === '__proto__' || name === 'constructor' || name === 'prototype') return 'a reserved name';
  return null;
}

function numberOrString(v: string): string | number {
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim()) ? n : v;
}
