import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../testing/temp';
import { readNpy, writeNpy } from './npy';

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
  writeNpy(join(dir, 'v.npy'), data, 4, 3);
  const bytes = readFileSync(join(dir, 'v.npy'));
  const back = readNpy(bytes);
  assert.deepEqual([back.rows, back.cols], [4, 3]);
  assert.deepEqual([...back.data], [...data]);
  assert.throws(() => readNpy(bytes.subarray(0, bytes.length - 4)), /truncated/);
  const f8 = Buffer.from(bytes.toString('latin1').replace("'<f4'", "'<f8'"), 'latin1');
  assert.throws(() => readNpy(f8), /float32/);
  const threeD = Buffer.from(bytes.toString('latin1').replace('(4, 3)', '(4,3,1)'), 'latin1');
  assert.throws(() => readNpy(threeD), /2-D/);
  assert.throws(() => readNpy(Buffer.from('hello world')), /not a NumPy/);
});
