// Decides where every sample goes before a byte is written: label folders, split folders and
// file names, with every clash resolved the same way on every run (so an interrupted export
// can be resumed and a re-run produces the same tree).
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ExportSampleRow } from './catalog-reads';
import { NameAllocator, UNLABELLED_FOLDER, nameKey, safeFileName, safeFolderName } from './safe-name';
import type { ExportLayout, ExportProblem, FileRename, FolderRename } from '../../../src-shared/model/export';

export const MANIFEST_CSV = 'manifest.csv';
export const MANIFEST_JSON = 'manifest.json';
export const INFO_JSON = 'winnow-export.json';
export const ROOT_RESERVED = [MANIFEST_CSV, MANIFEST_JSON, INFO_JSON];

export type FileAction = 'copy' | 'encode-png' | 'write-blob' | 'present';

export interface PlannedFile {
  row: ExportSampleRow;
  /** Relative to the export folder, with `/` separators. */
  path: string;
  /** imagefolder: the label's folder; flat: ''. */
  folder: string;
  split: string | null;
  action: FileAction;
  /** Absolute path of a file sample, or `builtin:<dataset>/<relPath>` for stored pixels. */
  sourcePath: string;
  renamed: FileRename['why'] | null;
}

/** What a merge destination already holds, as far as planning cares. */
export interface ExistingTree {
  /** Names already in a folder of the destination (relative folder path, '' = root). */
  names(dir: string): string[];
  /** label -> folder from the destination's earlier Winnow manifest. */
  labelFolders: Map<string | null, string>;
  /** path -> identity of the file an earlier Winnow export wrote there. */
  files: Map<string, { sampleId: number; contentHash: string }>;
}

export interface Plan {
  files: PlannedFile[];
  /** label -> folder ('' in the flat layout). */
  folders: Map<string | null, string>;
  folderRenames: FolderRename[];
  fileRenames: FileRename[];
  problems: ExportProblem[];
}

export function sourcePathOf(row: ExportSampleRow): string {
  return row.source === 'blob' || row.root === null ? `builtin:${row.datasetName}/${row.relPath}` : `${row.root}/${row.relPath}`;
}

const BLOB_EXT: Record<string, { action: FileAction; ext: string }> = {
  gray8: { action: 'encode-png', ext: '.png' },
  png: { action: 'write-blob', ext: '.png' },
  jpeg: { action: 'write-blob', ext: '.jpg' },
  webp: { action: 'write-blob', ext: '.webp' },
};

export function planExport(rows: ExportSampleRow[], layout: ExportLayout, splitOf: Map<number, string> | null, existing: ExistingTree | null): Plan {
  const problems: ExportProblem[] = [];
  const { folders, renames: folderRenames } = layout === 'imagefolder' ? allocateFolders(rows, splitOf !== null, existing) : { folders: new Map<string | null, string>(), renames: [] };

  // Group the samples by the folder they land in; names only have to be unique within one.
  const byDir = new Map<string, Array<{ row: ExportSampleRow; name: string; action: FileAction; renamed: FileRename['why'] | null }>>();
  for (const row of rows) {
    let base: string;
    let action: FileAction = 'copy';
    if (row.source === 'blob') {
      const kind = row.blobFormat ? BLOB_EXT[row.blobFormat] : undefined;
      if (!kind) {
        problems.push({ sampleId: row.id, sourcePath: sourcePathOf(row), kind: 'unsupported', reason: row.blobFormat ? `stored pixels in format "${row.blobFormat}" cannot be exported` : 'the project holds no pixels for this sample' });
        continue;
      }
      // Stored samples have no file name of their own; their catalog path is unique per dataset.
      base = row.relPath.replace(/\.[A-Za-z0-9]{1,8}$/, '').replace(/[/\\]/g, '_') + kind.ext;
      action = kind.action;
    } else {
      base = posix.basename(row.relPath.replace(/\\/g, '/'));
    }
    const name = safeFileName(base);
    const split = splitOf?.get(row.id) ?? null;
    const dir = [split, layout === 'imagefolder' ? folders.get(row.label)! : null].filter((p): p is string => p !== null).join('/');
    let list = byDir.get(dir);
    if (!list) byDir.set(dir, (list = []));
    list.push({ row, name, action, renamed: name !== base ? 'unsafe' : null });
  }

  const files: PlannedFile[] = [];
  const fileRenames: FileRename[] = [];
  for (const [dir, list] of [...byDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Every file of a clashing group gets a tag from its own source path, so which one keeps
    // the plain name never depends on the order samples were imported in.
    const counts = new Map<string, number>();
    for (const f of list) counts.set(nameKey(f.name), (counts.get(nameKey(f.name)) ?? 0) + 1);
    for (const f of list) {
      if (counts.get(nameKey(f.name))! < 2) continue;
      const { stem, ext } = splitExt(f.name);
      f.name = `${stem}~${createHash('sha256').update(`${f.row.datasetId}\0${f.row.relPath}`).digest('hex').slice(0, 8)}${ext}`;
      f.renamed = 'same-name';
    }
    // In a merge, a file an earlier export of the same sample wrote is kept; any other file
    // already there keeps its name and ours moves aside.
    const present = new Set<string>();
    const existingNames = existing ? existing.names(dir) : [];
    if (existing) {
      const onDisk = new Set(existingNames.map(nameKey));
      for (const f of list) {
        const prev = existing.files.get(joinPath(dir, f.name));
        if (onDisk.has(nameKey(f.name)) && prev && prev.sampleId === f.row.id && prev.contentHash === f.row.contentHash) {
          present.add(nameKey(f.name));
          f.action = 'present';
        }
      }
    }
    const alloc = new NameAllocator([...existingNames.filter((n) => !present.has(nameKey(n))), ...(dir === '' ? ROOT_RESERVED : [])]);
    for (const f of list) {
      const wanted = f.name;
      const { stem, ext } = splitExt(wanted);
      f.name = alloc.claim(stem, ext);
      if (f.name !== wanted) f.renamed = existingNames.some((n) => nameKey(n) === nameKey(wanted)) ? 'exists' : 'same-name';
      const path = joinPath(dir, f.name);
      const planned: PlannedFile = { row: f.row, path, folder: layout === 'imagefolder' ? folders.get(f.row.label)! : '', split: splitOf?.get(f.row.id) ?? null, action: f.action, sourcePath: sourcePathOf(f.row), renamed: f.renamed };
      files.push(planned);
      if (f.renamed) fileRenames.push({ sampleId: f.row.id, sourcePath: planned.sourcePath, path, why: f.renamed });
    }
  }
  files.sort((a, b) => a.row.id - b.row.id);
  fileRenames.sort((a, b) => a.sampleId - b.sampleId);
  return { files, folders, folderRenames, fileRenames, problems };
}

function allocateFolders(rows: ExportSampleRow[], underSplit: boolean, existing: ExistingTree | null): { folders: Map<string | null, string>; renames: FolderRename[] } {
  const labels = [...new Set(rows.map((r) => r.label))].sort((a, b) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const alloc = new NameAllocator(underSplit ? [] : ROOT_RESERVED);
  const folders = new Map<string | null, string>();
  const renames: FolderRename[] = [];
  // Labels an earlier export already placed keep their folder, so a merge adds to it.
  // Folders of labels not in this export stay theirs too, so no new label is mixed into them.
  const current = new Set(labels);
  for (const [label, prev] of existing?.labelFolders ?? []) {
    if (alloc.has(prev)) continue;
    alloc.claim(prev);
    if (current.has(label)) folders.set(label, prev);
  }
  for (const label of labels) {
    if (folders.has(label)) continue;
    const wanted = label === null ? UNLABELLED_FOLDER : safeFolderName(label);
    const folder = alloc.claim(wanted);
    folders.set(label, folder);
    if (label === null) renames.push({ label, folder, why: 'unlabelled' });
    else if (folder !== wanted) renames.push({ label, folder, why: 'collision' });
    else if (folder !== label) renames.push({ label, folder, why: 'unsafe' });
  }
  return { folders, renames };
}

export function splitExt(name: string): { stem: string; ext: string } {
  const m = /^(.+?)(\.[A-Za-z0-9]{1,8})$/.exec(name);
  return m ? { stem: m[1]!, ext: m[2]! } : { stem: name, ext: '' };
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
