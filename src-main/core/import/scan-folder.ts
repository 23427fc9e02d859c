// Lists candidate image files under a root. One rule for every path, found here or named by a
// labels file (see checkCandidate): it must resolve, by realpath, to a regular file inside the
// root. Symlinked folders are not followed (no loops); hidden entries are skipped. A sub-folder
// that cannot be read, or vanishes while it is listed, is a problem for its files, not for the
// import: it is reported and the rest is imported.
import { realpathSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, extname } from 'node:path';
import type { ImportProblem } from '../../../src-shared/model/import';
import { isInside } from './paths';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif', '.bmp']);

export interface FoundFile {
  relPath: string;
  absPath: string;
}

export interface ScanResult {
  files: FoundFile[];
  problems: ImportProblem[];
}

/** `root` must already be a real path (no symlinks in it). */
export async function scanFolder(root: string, signal?: AbortSignal): Promise<ScanResult> {
  const files: FoundFile[] = [];
  const problems: ImportProblem[] = [];
  async function walk(rel: string): Promise<void> {
    signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw err;
      problems.push({ path: `${rel}/`, reason: folderReason(err) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(childRel);
      else if (e.isSymbolicLink()) {
        const absPath = join(root, childRel);
        let isDir = false;
        try { isDir = statSync(absPath).isDirectory(); } catch { /* a dangling link: checked below like any file */ }
        if (isDir) { problems.push({ path: `${childRel}/`, reason: 'symbolic link to a folder; not followed' }); continue; }
        if (!IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) continue;
        const why = checkCandidate(root, absPath);
        if (why) problems.push({ path: childRel, reason: why });
        else files.push({ relPath: childRel, absPath });
      } else if (IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) {
        if (e.isFile()) files.push({ relPath: childRel, absPath: join(root, childRel) });
        else problems.push({ path: childRel, reason: 'not a regular file' });
      }
    }
  }
  await walk('');
  return { files, problems };
}

/**
 * Why a path under `root` (a real path) cannot be imported, or null when it can: it must exist,
 * stay inside the root once links are resolved, and be a regular file (a FIFO or device would
 * block or never end).
 */
export function checkCandidate(root: string, absPath: string): string | null {
  let real: string;
  try {
    real = realpathSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'not found in the folder (or a symbolic link to nothing)' : `cannot be read (${code ?? String(err)})`;
  }
  if (!isInside(real, root)) return 'symbolic link leads outside the dataset folder; skipped';
  try {
    if (!statSync(real).isFile()) return 'not a regular file';
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  return null;
}

function folderReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'folder disappeared during import; its files were skipped';
  if (code === 'EACCES' || code === 'EPERM') return `folder cannot be read (permission denied, ${code}); its files were skipped`;
  return `folder cannot be read (${code ?? String(err)}); its files were skipped`;
}

/** The label a folder layout implies: the first sub-folder under the root, or none. */
export function labelFromPath(relPath: string): string | null {
  const i = relPath.indexOf('/');
  return i > 0 ? relPath.slice(0, i) : null;
}

/** Top-level folder names read as a split (compared in lower case). */
export const SPLIT_FOLDER_NAMES = new Set(['train', 'training', 'val', 'valid', 'validation', 'dev', 'test', 'testing', 'holdout']);

/**
 * Label and split a folder layout implies. `root/<split>/<label>/file` is read as a split layout
 * only when EVERY file sits under a top-level folder named like a split (train/, val/, test/, …):
 * a dataset with a class that happens to be called "test" beside other classes keeps its labels.
 * In a split layout a file directly under the split folder has no label.
 */
export function layoutOf(relPaths: string[]): (relPath: string) => { label: string | null; split: string | null } {
  const first = (p: string) => { const i = p.indexOf('/'); return i > 0 ? p.slice(0, i) : null; };
  const splitLayout = relPaths.length > 0 && relPaths.every((p) => { const f = first(p); return f !== null && SPLIT_FOLDER_NAMES.has(f.toLowerCase()); });
  if (!splitLayout) return (p) => ({ label: labelFromPath(p), split: null });
  return (p) => {
    const split = first(p)!;
    return { split, label: labelFromPath(p.slice(split.length + 1)) };
  };
}
