// What one JPEG compression changes (jpeg-recompression.ts), against libjpeg's own (sharp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { createRng } from '../../../../src-shared/random';
import { frameFilling } from '../../../testing/curation/frame-filling';
import { jpegLumaTable } from '../../images/jpeg-quant';
import { recompressed, recompressionDistance } from './jpeg-recompression';

function distance(a: Uint8Array, b: Uint8Array): number {
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let k = 0; k < a.length; k++) { sa += a[k]!; sb += b[k]!; saa += a[k]! ** 2; sbb += b[k]! ** 2; sab += a[k]! * b[k]!; }
  const n = a.length;
  return 1 - (sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
}

async function asJpeg(px: Uint8Array, quality: number) {
  const file = await sharp(Buffer.from(px), { raw: { width: 28, height: 28, channels: 1 } }).jpeg({ quality }).toBuffer();
  return { table: jpegLumaTable(new Uint8Array(file))!, pixels: new Uint8Array(await sharp(file).greyscale().raw().toBuffer()) };
}

test('the distance predicted from the file\'s table is libjpeg\'s own, at quality 50 and 90', async () => {
  const rng = createRng(5);
  for (const quality of [50, 90]) {
    const ratios: number[] = [], offs: number[] = [];
    for (let k = 0; k < 20; k++) {
      const item = frameFilling(rng);
      const { table, pixels } = await asJpeg(item, quality);
      const img = { data: item, width: 28, height: 28 };
      ratios.push(recompressionDistance(img, table) / distance(item, pixels));
      // The recompression itself: near libjpeg's decoded pixels (a coefficient that rounds the
      // other way, libjpeg's integer transforms, moves a block by a few levels).
      const ours = recompressed(img, table);
      offs.push(ours.reduce((s, v, i) => s + Math.abs(v - pixels[i]!), 0) / ours.length);
    }
    // Measured: 0.29 grey levels off on average, at most 0.86 for one item.
    assert.ok(offs.reduce((a, b) => a + b) / offs.length < 0.5 && Math.max(...offs) < 1.5, `quality ${quality}: ${offs.map((o) => o.toFixed(2)).join(' ')}`);
    ratios.sort((a, b) => a - b);
    assert.ok(ratios[0]! > 0.9 && ratios.at(-1)! < 1.1, `quality ${quality}: predicted / real ${ratios[0]!.toFixed(3)}…${ratios.at(-1)!.toFixed(3)}`);
  }
});

test('a finer table changes less; a flat image nothing; edge blocks of a size that is no multiple of 8 are kept', async () => {
  const item = frameFilling(createRng(6));
  const img = { data: item, width: 28, height: 28 };
  const coarse = recompressionDistance(img, (await asJpeg(item, 30)).table), fine = recompressionDistance(img, (await asJpeg(item, 95)).table);
  assert.ok(fine < coarse / 4, `quality 95 ${fine}, 30 ${coarse}`);
  assert.equal(recompressionDistance({ data: new Uint8Array(784).fill(90), width: 28, height: 28 }, (await asJpeg(item, 30)).table), 0);
  // Unit steps: the transform and its inverse alone, back to the pixels within a level, edge blocks included.
  assert.ok(recompressed(img, new Array(64).fill(1)).every((v, i) => Math.abs(v - item[i]!) <= 1));
});
