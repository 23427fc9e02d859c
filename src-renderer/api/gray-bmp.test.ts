import assert from 'node:assert/strict';
import { it } from 'node:test';
import { grayBmp } from './gray-bmp';

it('writes a bottom-up 8-bit BMP with a grey palette and 4-byte aligned rows', () => {
  // 3 wide (padded to 4), 2 high: top row 10 20 30, bottom row 40 50 60.
  const bmp = grayBmp(3, 2, Uint8Array.of(10, 20, 30, 40, 50, 60));
  const v = new DataView(bmp.buffer);
  assert.equal(String.fromCharCode(bmp[0]!, bmp[1]!), 'BM');
  assert.equal(v.getUint32(2, true), bmp.length);
  const offset = v.getUint32(10, true);
  assert.equal(offset, 14 + 40 + 1024);
  assert.equal(bmp.length, offset + 4 * 2);
  assert.deepEqual([v.getInt32(18, true), v.getInt32(22, true), v.getUint16(28, true), v.getUint32(30, true)], [3, 2, 8, 0]);
  // Palette entry i is grey i (B, G, R, reserved).
  assert.deepEqual([...bmp.subarray(14 + 40 + 4 * 200, 14 + 40 + 4 * 201)], [200, 200, 200, 0]);
  // First stored row is the image's bottom row.
  assert.deepEqual([...bmp.subarray(offset, offset + 8)], [40, 50, 60, 0, 10, 20, 30, 0]);
});

it('refuses a size the pixels do not fill', () => {
  assert.throws(() => grayBmp(28, 28, new Uint8Array(100)), /100 pixels/);
  assert.throws(() => grayBmp(0, 5, new Uint8Array(0)), /bad image size/);
});
