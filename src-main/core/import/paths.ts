// Paths named by users (labels files) or read back from a project must stay inside the dataset
// folder: lexically (no `..`, nothing absolute) and by realpath (no symlink leading out).
import { realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';

export type RelPathCheck = { ok: true; path: string } | { ok: false; reason: string };

export function safeRelativePath(raw: string): RelPathCheck {
  if (/[\u0000-\u001f]/.test(raw)) return { ok: false, reason: 'path contains control characters' };
  const unified = raw.replace(/\\/g, '/');
  if (isAbsolute(unified) || /^[a-zA-Z]:/.test(unified)) return { ok: false, reason: 'path must be relative to the dataset folder' };
  const norm = normalize(unified).split(sep).join('/');
  if (norm === '..' || norm.startsWith('../') || norm === '.' || norm === '') return { ok: false, reason: 'path escapes the dataset folder' };
  return { ok: true, path: norm };
}

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * A stored path as the folder scan writes it: `/`-separated names, none empty, `.` or `..`.
 * Any other character is allowed (file names may hold control characters or backslashes).
 */
function isPlainRelative(relPath: string): boolean {
  const win = process.platform === 'win32';
  if (relPath.includes('\0') || relPath.startsWith('/') || (win && /^[a-zA-Z]:|^\\/.test(relPath))) return false;
  return relPath.split(win ? /[\\/]/ : '/').every((p) => p !== '' && p !== '.' && p !== '..');
}

export type InsideRoot = { ok: true; absPath: string } | { ok: false; reason: string };

/**
 * Where a catalogued file is, if it is inside its dataset folder. A stored path must already be
 * in normal form (as the import writes it); a file that does not exist (yet) passes, so the
 * caller can say "missing" rather than "outside".
 */
export function fileInsideRoot(root: string, relPath: string): InsideRoot {
  if (!isPlainRelative(relPath)) return { ok: false, reason: `path ${JSON.stringify(relPath)} leaves the dataset folder` };
  const absPath = join(root, relPath);
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(absPath);
  } catch {
    return { ok: true, absPath };
  }
  if (!isInside(real, realRoot)) return { ok: false, reason: `path ${JSON.stringify(relPath)} leads out of the dataset folder through a symbolic link` };
  return { ok: true, absPath };
}
