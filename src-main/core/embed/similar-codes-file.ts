// The similar-images codes of a big set, kept beside the project file like the map's k-NN index
// (core/map/run-map.ts indexPathFor): a later session's first search reads 0.7 GB of codes from
// this file instead of 2.2 GB of vectors through SQLite and quantising them again (6.8–7.5 s at a
// million 544-d vectors, bench/scale-1m.ts). A cache: the file is tagged with its set's id,
// creation time and revision and read only while all three match (another project put at the same
// path has sets of other creation times); a missing, stale or damaged file is rebuilt from the
// vectors. Written under a temporary name and renamed, so a crash leaves the old file or none.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { vectorCodes, type VectorCodes } from './similar-codes';

const MAGIC = 'WNSIMC01';
/** Magic, then setId, the set's creation time (ms), revision, rows, dim as float64. */
const HEADER_BYTES = 8 + 5 * 8;

/** Which vectors a file holds codes of: a set, by id and creation time, at one revision. */
export interface CodesTag { setId: number; createdAt: number; revision: number }
/** Bytes per read or write call: the file moves through libuv's threads in pieces, the core's thread free meanwhile. */
const PIECE = 64 * 1024 * 1024;

export function similarCodesPath(projectPath: string, setId: number): string {
  return `${projectPath}.index/set-${setId}.similar`;
}

/** The codes kept for this set at this revision; null when there are none that match. */
export async function readCodesFile(path: string, tag: CodesTag): Promise<VectorCodes | null> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if ((await file.read(header, 0, HEADER_BYTES, 0)).bytesRead < HEADER_BYTES || header.toString('latin1', 0, 8) !== MAGIC) return null;
    const [fileSet, fileCreated, fileRevision, rows, dim] = [0, 1, 2, 3, 4].map((t) => header.readDoubleLE(8 + 8 * t)) as [number, number, number, number, number];
    if (fileSet !== tag.setId || fileCreated !== tag.createdAt || fileRevision !== tag.revision) return null;
    if (!Number.isInteger(rows) || !Number.isInteger(dim) || rows < 0 || dim < 1) return null;
    if ((await file.stat()).size !== HEADER_BYTES + rows * 8 + rows * dim) return null;
    const ids = new Int32Array(rows), scales = new Float32Array(rows), codes = new Int8Array(rows * dim);
    let at = HEADER_BYTES;
    for (const array of [ids, scales, codes]) {
      if (!(await readInto(file, new Uint8Array(array.buffer), at))) return null;
      at += array.byteLength;
    }
    return vectorCodes(tag.setId, dim, ids, codes, scales);
  } finally {
    await file.close();
  }
}

/** Keeps the codes, tagged with the set and the revision they were read at. */
export async function writeCodesFile(path: string, table: VectorCodes, tag: CodesTag): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // One name per set: a write cut short (a crash) leaves one file, which the next write replaces.
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, 'latin1');
    [tag.setId, tag.createdAt, tag.revision, table.ids.length, table.dim].forEach((v, t) => header.writeDoubleLE(v, 8 + 8 * t));
    await file.write(header, 0, HEADER_BYTES, 0);
    let at = HEADER_BYTES;
    for (const array of [table.ids, table.scales, table.codes]) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let o = 0; o < bytes.length; o += PIECE) {
        const piece = bytes.subarray(o, o + PIECE);
        await file.write(piece, 0, piece.length, at + o);
      }
      at += bytes.length;
    }
    await file.close();
    await rename(temporary, path);
  } catch (err) {
    await file.close().catch(() => {});
    await rm(temporary, { force: true });
    throw err;
  }
}

async function readInto(file: Awaited<ReturnType<typeof open>>, bytes: Uint8Array, at: number): Promise<boolean> {
  for (let o = 0; o < bytes.length; ) {
    const { bytesRead } = await file.read(bytes, o, Math.min(PIECE, bytes.length - o), at + o);
    if (bytesRead === 0) return false;
    o += bytesRead;
  }
  return true;
}
