// Issue #19: a black drawing on a transparent background (transparent pixels stored as black,
// as most exporters do) must not become an all-black image anywhere it is read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeImage } from '../import/decode-image';
import { tempDir } from '../../testing/temp';
import { onBackdrop } from './alpha';

async function transparentDrawing(): Promise<Buffer> {
  const w = 40, rgba = new Uint8Array(w * w * 4);
  for (let y = 5; y < 35; y++) for (const x of [10, 11, 28, 29]) rgba[(y * w + x) * 4 + 3] = 255;
  return sharp(Buffer.from(rgba), { raw: { width: w, height: w, channels: 4 } }).png().toBuffer();
}

test('the import thumbnail of a transparent drawing is opaque, black lines on the white backdrop', async () => {
  const path = join(tempDir(), 'drawing.png');
  writeFileSync(path, await transparentDrawing());
  const d = await decodeImage({ relPath: 'drawing.png', absPath: path });
  assert.ok(d.ok);
  const { data, info } = await sharp(d.thumb).raw().toBuffer({ resolveWithObject: true });
  assert.ok(info.channels === 1 || info.channels === 3, `${info.channels} channels: no alpha left`);
  const at = (x: number, y: number) => data[(y * info.width + x) * info.channels];
  assert.equal(at(0, 0), 255, 'background is white');
  assert.ok(at(10, 20) < 40, 'the line stays dark');
});

test('onBackdrop leaves opaque images alone', async () => {
  const rgb = Buffer.from(Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 13) % 256));
  const out = await onBackdrop(sharp(rgb, { raw: { width: 4, height: 4, channels: 3 } })).raw().toBuffer();
  assert.deepEqual(Array.from(out), Array.from(rgb));
});
