import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../testing/temp';
import { writeNpy } from './npy';

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
