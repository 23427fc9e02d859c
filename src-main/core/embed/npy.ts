// NumPy .npy for a float32 matrix: the writer (format 1.0; written to a temporary name and
// renamed, as atomicWrite does for the ids CSV beside it, so a failed write never leaves a half
// file) and the reader.
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';

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

/** Bytes read per readSync call: Node refuses one read past 2 GiB. */
const READ_CHUNK = 1 << 28;

/**
 * Reads a float32 matrix from a NumPy .npy file (format 1.x/2.x/3.x, little-endian `<f4`,
 * C order, 2-D). Anything else is refused with the reason, so a user's file from another tool
 * fails with a sentence rather than a wrong matrix. The file is read in chunks straight into
 * the matrix: readFileSync refuses files over 2 GiB, and a million 544-d vectors (the built-in
 * model's) are 2.2 GB; reading the whole file first would also hold it twice.
 */
export function readNpyFile(path: string, name = path): { rows: number; cols: number; data: Float32Array } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(Math.min(size, 12));
    readSync(fd, prefix, 0, prefix.length, 0);
    if (prefix.length < 10 || prefix.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${name} is not a NumPy .npy file`);
    const lenBytes = prefix[6] === 1 ? 2 : 4;
    const headerLen = lenBytes === 2 ? prefix.readUInt16LE(8) : prefix.length >= 12 ? prefix.readUInt32LE(8) : Infinity;
    const start = 8 + lenBytes + headerLen;
    if (start > size) throw new Error(`${name}: header runs past the end of the file`);
    const header = Buffer.alloc(headerLen);
    readSync(fd, header, 0, headerLen, 8 + lenBytes);
    const { rows, cols } = parseHeader(header.toString('latin1'), name);
    if (size - start !== rows * cols * 4) throw new Error(`${name} should hold ${rows}×${cols} float32 values but has ${size - start} data bytes (truncated?)`);
    const data = new Float32Array(rows * cols);
    const bytes = new Uint8Array(data.buffer);
    for (let off = 0; off < bytes.length;) {
      const got = readSync(fd, bytes, off, Math.min(READ_CHUNK, bytes.length - off), start + off);
      if (got <= 0) throw new Error(`${name} ended early (truncated while being read?)`);
      off += got;
    }
    return { rows, cols, data };
  } finally {
    closeSync(fd);
  }
}

function parseHeader(header: string, name: string): { rows: number; cols: number } {
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== '<f4') throw new Error(`${name} holds ${descr ?? 'an unknown type'}; Winnow reads float32 ('<f4') vectors — convert with array.astype('float32')`);
  if (!/'fortran_order':\s*False/.test(header)) throw new Error(`${name} is in Fortran order; save it with np.ascontiguousarray`);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]?.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!shape || shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${name} must be a 2-D matrix (rows × dimensions), not shape (${shape?.join(', ') ?? '?'})`);
  return { rows: shape[0]!, cols: shape[1]! };
}
