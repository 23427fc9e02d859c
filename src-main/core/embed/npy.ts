// NumPy .npy (format 1.0) writer for a float32 matrix, plus the ids CSV beside it. Both are
// written to temporary names and renamed, so a failed write never leaves a half file.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

export function npyHeader(rows: number, cols: number): Buffer {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // magic(6) + version(2) + header-length(2) + dict + newline, padded to a multiple of 64.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

export function writeNpy(path: string, data: Float32Array, rows: number, cols: number): void {
  if (data.length !== rows * cols) throw new Error(`writeNpy: ${data.length} values is not ${rows}×${cols}`);
  atomicWrite(path, (fd) => {
    writeSync(fd, npyHeader(rows, cols));
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // Node on little-endian hosts writes float32 as '<f4' as declared in the header.
    for (let off = 0; off < bytes.length; off += 1 << 24) writeSync(fd, bytes.subarray(off, Math.min(bytes.length, off + (1 << 24))));
  });
}

export function atomicWrite(path: string, body: (fd: number) => void): void {
  const tmp = `${path}.partial-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    body(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
}
