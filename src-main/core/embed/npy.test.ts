import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../testing/temp';
import { npyHeader, readNpyFile, writeNpy } from './npy';

it('writes a NumPy 1.0 file whose header and data a reader can parse', () => {
  const dir = tempDir();
  const data = Float32Array.from({ length: 6 }, (_, i) => i / 2);
  writeNpy(join(dir, 'v.npy'), data, 3, 2);
  const buf = readFileSync(join(dir, 'v.npy'));
  assert.equal(buf.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  const headerLen = buf.readUInt16LE(8);
  assert.equal((10 + headerLen) % 64, 0);
  const header = buf.subarray(10, 10 + headerLen).toString('latin1');
  assert.match(header, /'descr': '<f4', 'fortran_order': False, 'shape': \(3, 2\)/);
  const values = new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + buf.length));
  assert.deepEqual([...values], [...data]);
});

it('reads back what it writes, and refuses other types, shapes and truncated files with a reason', () => {
  const dir = tempDir();
  const data = Float32Array.from({ length: 12 }, (_, i) => i * 0.25 - 1);
  const file = join(dir, 'v.npy');
  writeNpy(file, data, 4, 3);
  const bytes = readFileSync(file);
  const back = readNpyFile(file);
  assert.deepEqual([back.rows, back.cols], [4, 3]);
  assert.deepEqual([...back.data], [...data]);
  const variant = (name: string, content: Buffer) => { writeFileSync(join(dir, name), content); return join(dir, name); };
  assert.throws(() => readNpyFile(variant('short.npy', bytes.subarray(0, bytes.length - 4))), /truncated/);
  assert.throws(() => readNpyFile(variant('f8.npy', Buffer.from(bytes.toString('latin1').replace("'<f4'", "'<f8'"), 'latin1'))), /float32/);
  assert.throws(() => readNpyFile(variant('3d.npy', Buffer.from(bytes.toString('latin1').replace('(4, 3)', '(4,3,1)'), 'latin1'))), /2-D/);
  assert.throws(() => readNpyFile(variant('text.npy', Buffer.from('hello world'))), /not a NumPy/);
  assert.throws(() => readNpyFile(variant('tiny.npy', Buffer.from('\x93NUM', 'latin1'))), /not a NumPy/);
});

it('reads a matrix of more than 2 GiB (a million 544-d vectors are 2.2 GB; readFileSync refuses such a file)', () => {
  // A sparse file: the header, zeros, and a value written at the start and at the end.
  const rows = 513, cols = 1 << 20; // 4 MiB a row, 2.004 GiB of data
  const file = join(tempDir(), 'big.npy');
  const header = npyHeader(rows, cols);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, header, 0, header.length, 0);
    writeSync(fd, Buffer.from(Float32Array.of(1.5).buffer), 0, 4, header.length);
    writeSync(fd, Buffer.from(Float32Array.of(-2.25).buffer), 0, 4, header.length + (rows * cols - 1) * 4);
  } finally {
    closeSync(fd);
  }
  assert.ok(statSync(file).size > 2 ** 31);
  const m = readNpyFile(file);
  assert.deepEqual([m.rows, m.cols], [rows, cols]);
  assert.equal(m.data[0], 1.5);
  assert.equal(m.data[rows * cols - 1], -2.25);
  assert.equal(m.data[cols], 0);
});
