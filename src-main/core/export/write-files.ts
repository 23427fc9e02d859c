// Puts the planned files into the partial folder: source files copied byte for byte (or hard
// linked), stored pixels encoded as PNG. Each file appears under its final name only when it
// is complete (temporary name, then rename), which is what makes a killed export resumable.
// A missing or unreadable source is a problem for that one sample; any failure to write is
// fatal for the whole export, since the next file would fail the same way.
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import sharp from 'sharp';
import { RpcError } from '../../../src-shared/rpc/errors';
import { fileInsideRoot, isInside } from '../import/paths';
import { TMP_PREFIX, describeFsError, type PartialFolder } from './destination';
import type { ExportIo } from './io';
import { ROOT_RESERVED, type PlannedFile } from './plan';
import type { ExportLink, ExportProblem } from '../../../src-shared/model/export';

const IN_FLIGHT = 8;
const LINK_FALLBACK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

export interface WriteOptions {
  link: ExportLink;
  io: ExportIo;
  pixels: (sampleId: number) => { format: string; width: number; height: number; data: Buffer } | undefined;
  signal: AbortSignal;
  progress: (done: number, total: number, message?: string) => void;
  /** For messages: the destination as the user named it. */
  out: string;
}

export interface WriteStats {
  copied: number;
  linked: number;
  encoded: number;
  resumed: number;
  unchanged: number;
  /** Paths of planned files that are in the partial folder now. */
  present: Set<string>;
  problems: ExportProblem[];
  warnings: string[];
}

class Fatal extends Error {
  constructor(readonly error: RpcError) { super(error.message); }
}

export async function writeFiles(files: PlannedFile[], partial: PartialFolder, opts: WriteOptions): Promise<WriteStats> {
  const stats: WriteStats = { copied: 0, linked: 0, encoded: 0, resumed: 0, unchanged: 0, present: new Set(), problems: [], warnings: [] };
  const { io } = opts;
  const writeFail = (err: unknown) => new Fatal(describeFsError(err, `cannot write the export to ${opts.out}`));

  const dirs = new Set<string>();
  for (const f of files) if (f.action !== 'present' && !partial.done.has(f.path)) dirs.add(posix.dirname(f.path));
  // Every write must land inside the partial folder, by name and by realpath: planned paths
  // come partly from a merge destination's manifest, which anyone could have edited.
  const realPartial = realpathSync(partial.path);
  for (const f of files) {
    if (!isInside(resolve(partial.path, f.path), partial.path) || f.path.includes('\\')) {
      throw new RpcError('bad_request', `refusing to write ${JSON.stringify(f.path)}: it is outside the export folder`);
    }
  }
  for (const d of [...dirs].sort()) {
    if (d === '.') continue;
    try { await io.mkdir(join(partial.path, d)); } catch (err) { throw writeFail(err).error; }
    if (!isInside(realpathSync(join(partial.path, d)), realPartial)) throw new RpcError('bad_request', `refusing to write into ${d}: it leads outside the export folder`);
  }

  let linkDisabled = false;
  const put = async (dst: string, tmp: string, data: Uint8Array) => {
    try {
      await io.writeFile(tmp, data);
      await io.rename(tmp, dst);
    } catch (err) {
      throw writeFail(err);
    }
  };

  const one = async (f: PlannedFile, i: number): Promise<void> => {
    if (f.action === 'present') { stats.unchanged++; stats.present.add(f.path); return; }
    if (partial.done.has(f.path)) { stats.resumed++; stats.present.add(f.path); return; }
    const dst = join(partial.path, f.path);
    const tmp = join(partial.path, posix.dirname(f.path), `${TMP_PREFIX}${i}`);
    const problem = (kind: ExportProblem['kind'], reason: string) => stats.problems.push({ sampleId: f.row.id, sourcePath: f.sourcePath, kind, reason });

    if (f.action === 'copy') {
      // The project file is input like any other: a row edited to point out of its dataset
      // folder (`../`, or a symlink planted in the folder) is never read or linked.
      const inside = f.row.root === null ? null : fileInsideRoot(f.row.root, f.row.relPath);
      if (!inside?.ok) return void problem('outside', inside?.reason ?? 'the sample has no dataset folder');
      if (opts.link === 'hardlink' && !linkDisabled) {
        try {
          await io.link(f.sourcePath, dst);
          stats.linked++;
          stats.present.add(f.path);
          return;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? '';
          if (code === 'ENOENT') return void problem('missing', 'source file is missing (deleted or moved since import)');
          if (!LINK_FALLBACK.has(code)) throw writeFail(err);
          linkDisabled = true;
          stats.warnings.push(`hard links are not possible from ${f.sourcePath} to ${opts.out} (${code}); files were copied instead`);
        }
      }
      let bytes: Buffer;
      try {
        bytes = await io.readFile(f.sourcePath);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return void problem('missing', 'source file is missing (deleted or moved since import)');
        return void problem('unreadable', `source file cannot be read (${code ?? String(err)})`);
      }
      if (createHash('sha256').update(bytes).digest('hex') !== f.row.contentHash) {
        problem('changed', 'source file changed since import; the current file was exported');
      }
      await put(dst, tmp, bytes);
      stats.copied++;
    } else {
      const px = opts.pixels(f.row.id);
      if (!px) return void problem('unsupported', 'the project holds no pixels for this sample');
      let bytes: Uint8Array = px.data;
      if (f.action === 'encode-png') {
        // Without the colour space sharp writes a 1-channel input as an RGB PNG.
        bytes = await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
      }
      await put(dst, tmp, bytes);
      stats.encoded++;
    }
    stats.present.add(f.path);
  };

  let next = 0;
  let done = 0;
  let fatal: unknown = null;
  const worker = async () => {
    while (next < files.length && fatal === null && !opts.signal.aborted) {
      const i = next++;
      try {
        await one(files[i]!, i);
      } catch (err) {
        fatal ??= err;
        return;
      }
      opts.progress(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, files.length) }, worker));
  if (fatal !== null) throw fatal instanceof Fatal ? fatal.error : fatal;
  opts.signal.throwIfAborted();
  stats.problems.sort((a, b) => a.sampleId - b.sampleId);
  return stats;
}

/**
 * merge: the destination's files are hard-linked (or copied where links are impossible) into
 * the partial folder, so the merged export replaces the old one in a single rename.
 */
export async function seedFromExisting(out: string, partial: PartialFolder, io: ExportIo, signal: AbortSignal): Promise<{ seeded: number; copied: boolean }> {
  let seeded = 0;
  let copied = false;
  let tmpN = 0;
  const walk = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try { entries = await readdir(join(out, rel), { withFileTypes: true }); } catch (err) { throw describeFsError(err, `cannot read ${join(out, rel)}`); }
    for (const e of entries) {
      signal.throwIfAborted();
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && ROOT_RESERVED.includes(e.name)) continue;
      const src = join(out, r);
      const dst = join(partial.path, r);
      try {
        if (e.isDirectory()) { await io.mkdir(dst); await walk(r); continue; }
        if (partial.done.has(r)) continue;
        if (e.isSymbolicLink()) throw new RpcError('bad_request', `cannot merge into ${out}: ${r} is a symbolic link; Winnow does not follow links inside an export folder (remove it, or export to a new folder)`);
        if (!e.isFile()) continue;
        if (!copied) {
          try { await io.link(src, dst); seeded++; continue; } catch (err) {
            if (!LINK_FALLBACK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
            copied = true;
          }
        }
        const tmp = join(partial.path, rel, `${TMP_PREFIX}seed-${tmpN++}`);
        await io.writeFile(tmp, await io.readFile(src));
        await io.rename(tmp, dst);
        seeded++;
      } catch (err) {
        if (signal.aborted) throw err;
        throw describeFsError(err, `cannot merge into ${out}`);
      }
    }
  };
  await walk('');
  return { seeded, copied };
}
