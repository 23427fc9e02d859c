// Where an export may go, and how it gets there without ever leaving a half-written folder:
// everything is built in a sibling `<out>.winnow-partial-<plan id>` and renamed into place at
// the end. A partial folder left by a killed run is resumed when the next run asks for the
// same export (same plan id), and deleted when it asks for something else.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RpcError } from '../../../src-shared/rpc/errors';
import { INFO_JSON } from './plan';
import type { ExportMode } from '../../../src-shared/model/export';

export const PARTIAL_TAG = '.winnow-partial-';
export const OLD_TAG = '.winnow-old-';
export const TMP_PREFIX = '.winnow-tmp-';
const LOCK = '.winnow-partial.json';

export interface Destination {
  out: string;
  parent: string;
  base: string;
  exists: boolean;
  /** The destination exists and holds something. */
  nonEmpty: boolean;
  /** winnow-export.json of an earlier export in the destination, if any. */
  previousInfo: Record<string, unknown> | null;
}

/**
 * A run killed between moving the old export aside and moving the new one in leaves the old
 * one as `<out>.winnow-old-<id>`: put it back (or, if the new one made it, delete it).
 */
export function recoverInterruptedSwap(outPath: string): void {
  const out = resolve(outPath);
  const parent = dirname(out);
  const prefix = `${basename(out)}${OLD_TAG}`;
  for (const name of safeReaddir(parent)) {
    if (!name.startsWith(prefix)) continue;
    if (!existsSync(out)) renameSyncOrFail(join(parent, name), out);
    else removeTree(join(parent, name));
  }
}

/** Refuses destinations that would mix the export with source images, or clobber a folder. */
export function checkDestination(outPath: string, mode: ExportMode, datasetRoots: string[], projectFile: string): Destination {
  const out = resolve(outPath);
  const parent = dirname(out);
  const base = basename(out);
  if (out === parent) throw new RpcError('bad_request', `cannot export into the root of a file system (${out}); choose a folder inside it`);
  if (base.includes(PARTIAL_TAG) || base.includes(OLD_TAG)) throw new RpcError('bad_request', `${out} is a Winnow work folder, not an export destination`);
  const real = realpathNearest(out);
  for (const root of datasetRoots) {
    const r = realpathNearest(root);
    if (within(real, r)) throw new RpcError('bad_request', `destination ${out} is ${samePath(real, r) ? 'the' : 'inside the'} source folder of a dataset (${root}); export to a folder outside it`);
    if (within(r, real)) throw new RpcError('bad_request', `destination ${out} contains the source folder of a dataset (${root}); export to a folder outside it`);
  }
  if (within(realpathNearest(projectFile), real)) throw new RpcError('bad_request', `destination ${out} contains the project file ${projectFile}; export to another folder`);

  if (!existsSync(out)) return { out, parent, base, exists: false, nonEmpty: false, previousInfo: null };
  const st = statSync(out);
  if (!st.isDirectory()) throw new RpcError('conflict', `destination ${out} is a file, not a folder`);
  // The final rename cannot put a folder over a mount point.
  if (st.dev !== statSync(parent).dev) throw new RpcError('bad_request', `destination ${out} is a mount point; export into a folder inside it`);
  const entries = readdirSync(out);
  const previousInfo = readInfo(join(out, INFO_JSON));
  if (entries.length > 0) {
    // An earlier export is let through here: it may be this very export, finished (see export.ts).
    if (mode === 'new' && !previousInfo) throw notEmpty(out);
    // Replace deletes the old folder, so it only ever deletes something Winnow wrote.
    if (mode === 'replace' && !previousInfo) throw new RpcError('conflict', `destination ${out} is not empty and is not a Winnow export (no ${INFO_JSON}); replace only overwrites earlier exports — empty it yourself or choose another folder`);
  }
  return { out, parent, base, exists: true, nonEmpty: entries.length > 0, previousInfo };
}

/**
 * A merge reads and re-links everything in the destination: a symbolic link in it (to a folder
 * or a file anywhere) would carry reads or writes outside it, so a destination holding one is
 * refused, named, rather than followed.
 */
export function refuseLinks(out: string): void {
  const walk = (rel: string): void => {
    for (const e of safeReaddir(join(out, rel), true)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) throw new RpcError('bad_request', `cannot merge into ${out}: ${r} is a symbolic link; Winnow does not follow links inside an export folder (remove it, or export to a new folder)`);
      if (e.isDirectory()) walk(r);
    }
  };
  walk('');
}

export function notEmpty(out: string): RpcError {
  return new RpcError('conflict', `destination ${out} is not empty; use merge to add to it or replace to overwrite it`);
}

function readInfo(path: string): Record<string, unknown> | null {
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return doc && doc.format === 'winnow-export' ? doc : null;
  } catch {
    return null;
  }
}

/** The real path of the longest existing prefix, with the rest appended (symlinks resolved). */
function realpathNearest(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    tail.unshift(basename(head));
    head = up;
  }
  try { head = realpathSync(head); } catch { /* keep as is */ }
  return join(head, ...tail);
}

const caseless = process.platform === 'darwin' || process.platform === 'win32';
function samePath(a: string, b: string): boolean {
  return caseless ? a.toLowerCase() === b.toLowerCase() : a === b;
}
function within(child: string, parent: string): boolean {
  const rel = relative(caseless ? parent.toLowerCase() : parent, caseless ? child.toLowerCase() : child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export function partialPath(dest: Destination, planId: string): string {
  return join(dest.parent, `${dest.base}${PARTIAL_TAG}${planId}`);
}

/** Partial folders being written by this process, so two exports here cannot share one. */
const active = new Set<string>();

export interface PartialFolder {
  path: string;
  resumed: boolean;
  /** Files (relative, `/`-separated) already complete in a resumed partial folder. */
  done: Set<string>;
  release(): void;
}

/**
 * Finishes or rolls back whatever a killed run left next to the destination, then opens the
 * partial folder for this plan: resumed if it exists, created otherwise.
 */
export function openPartial(dest: Destination, planId: string): PartialFolder {
  const path = partialPath(dest, planId);
  if (active.has(path)) throw new RpcError('conflict', `an export to ${dest.out} is already running`);
  ensureParent(dest.parent);
  for (const name of safeReaddir(dest.parent)) {
    if (!name.startsWith(dest.base)) continue;
    const rest = name.slice(dest.base.length);
    const full = join(dest.parent, name);
    if (rest.startsWith(PARTIAL_TAG) && full !== path) {
      assertNotOwnedByLiveProcess(full, dest.out);
      removeTree(full);
    }
  }
  let resumed = false;
  const done = new Set<string>();
  if (existsSync(path)) {
    assertNotOwnedByLiveProcess(path, dest.out);
    resumed = true;
    collect(path, '', done);
  } else {
    try {
      mkdirSync(path);
    } catch (err) {
      throw describeFsError(err, `cannot create the export folder next to ${dest.out}`);
    }
  }
  try {
    writeFileSync(join(path, LOCK), JSON.stringify({ pid: process.pid, host: hostname(), planId, startedAt: new Date().toISOString() }));
  } catch (err) {
    removeTree(path);
    throw describeFsError(err, `cannot write to ${dest.parent}`);
  }
  active.add(path);
  return { path, resumed, done, release: () => active.delete(path) };
}

/** Lists complete files; temporary files of the killed run are deleted. */
function collect(root: string, rel: string, into: Set<string>): void {
  for (const e of safeReaddir(join(root, rel), true)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) collect(root, r, into);
    else if (e.name.startsWith(TMP_PREFIX)) rmSync(join(root, r), { force: true });
    else if (r !== LOCK) into.add(r);
  }
}

function assertNotOwnedByLiveProcess(partial: string, out: string): void {
  let lock: { pid?: number; host?: string } = {};
  try { lock = JSON.parse(readFileSync(join(partial, LOCK), 'utf8')) as typeof lock; } catch { return; }
  if (typeof lock.pid !== 'number' || lock.pid === process.pid) return;
  if (lock.host !== hostname()) throw new RpcError('conflict', `an export to ${out} was started on ${lock.host ?? 'another machine'} (${partial}); delete that folder if it is no longer running`);
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
  }
  throw new RpcError('conflict', `another export to ${out} is running (process ${lock.pid}); wait for it, or delete ${partial} if it is stuck`);
}

/** Moves the finished partial folder into place; an earlier export is swapped out, then deleted. */
export function commitPartial(dest: Destination, partial: PartialFolder, planId: string): void {
  rmSync(join(partial.path, LOCK), { force: true });
  if (existsSync(dest.out)) {
    const old = join(dest.parent, `${dest.base}${OLD_TAG}${planId}`);
    renameSyncOrFail(dest.out, old);
    try {
      renameSyncOrFail(partial.path, dest.out);
    } catch (err) {
      renameSyncOrFail(old, dest.out);
      throw err;
    }
    removeTree(old);
  } else {
    renameSyncOrFail(partial.path, dest.out);
  }
  partial.release();
}

export function discardPartial(partial: PartialFolder): void {
  partial.release();
  removeTree(partial.path);
}

/** Keeps the partial folder (for a resume) but lets another export in this process use it. */
export function keepPartial(partial: PartialFolder): void {
  partial.release();
}

function ensureParent(parent: string): void {
  try {
    if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw describeFsError(err, `cannot create ${parent}`);
  }
}

function renameSyncOrFail(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    throw describeFsError(err, `cannot move ${from} to ${to}`);
  }
}

function removeTree(p: string): void {
  try {
    rmSync(p, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // A folder we cannot remove is reported by the next run, which tries again.
  }
}

function safeReaddir(dir: string): string[];
function safeReaddir(dir: string, withTypes: true): Dirent[];
function safeReaddir(dir: string, withTypes?: true): string[] | Dirent[] {
  try {
    return withTypes ? readdirSync(dir, { withFileTypes: true }) : readdirSync(dir);
  } catch {
    return [];
  }
}

const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'a path is too long for this file system',
  EIO: 'an input/output error occurred',
  ENOTEMPTY: 'the destination changed while exporting',
  EXDEV: 'it is on another volume',
};

/** One clear line for a file-system failure; unknown errors keep their own message. */
export function describeFsError(err: unknown, what: string): RpcError {
  if (err instanceof RpcError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code && FS_REASONS[code] ? `${FS_REASONS[code]} (${code})` : err instanceof Error ? err.message : String(err);
  return new RpcError('io', `${what}: ${reason}`);
}

export function isDestinationFatal(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'ENAMETOOLONG';
}
