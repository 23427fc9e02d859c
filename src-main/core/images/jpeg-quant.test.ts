// The luminance table read from a JPEG's header (jpeg-quant.ts): the one the encoder used, for
// grey, colour and progressive files; anything else is no table, never an exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { jpegLumaTable } from './jpeg-quant';

/** The IJG standard luminance table (Annex K), row-major: what libjpeg scales by quality. */
const ANNEX_K = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
/** libjpeg's scaling of a base table by quality (jcparam.c's jpeg_quality_scaling and its clamp, baseline). */
const scaled = (q: number) => ANNEX_K.map((v) => Math.min(255, Math.max(1, Math.floor((v * (q < 50 ? 5000 / q : 200 - 2 * q) + 50) / 100))));

const gradient = (w: number, h: number, channels: 1 | 3) => sharp(Buffer.from(Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 7) % 251)), { raw: { width: w, height: h, channels } });

test('a grey JPEG\'s table is the encoder\'s, at any quality, in row-major order', async () => {
  for (const q of [50, 75, 90]) {
    const t = jpegLumaTable(new Uint8Array(await gradient(28, 28, 1).jpeg({ quality: q }).toBuffer()));
    assert.ok(t, `quality ${q}`);
    assert.deepEqual(Array.from(t), scaled(q), `quality ${q}`);
  }
});

test('a colour JPEG gives its luma table (the first component\'s), a progressive one too', async () => {
  const colour = jpegLumaTable(new Uint8Array(await gradient(40, 30, 3).jpeg({ quality: 60 }).toBuffer()));
  assert.deepEqual(Array.from(colour!), scaled(60));
  const progressive = jpegLumaTable(new Uint8Array(await gradient(40, 30, 3).jpeg({ quality: 60, progressive: true }).toBuffer()));
  assert.deepEqual(Array.from(progressive!), scaled(60));
});

test('not a JPEG, or a header cut short or broken, is no table', async () => {
  const jpeg = new Uint8Array(await gradient(28, 28, 1).jpeg({ quality: 50 }).toBuffer());
  assert.equal(jpegLumaTable(new Uint8Array(await gradient(28, 28, 1).png().toBuffer())), null);
  assert.equal(jpegLumaTable(new Uint8Array(0)), null);
  const dqt = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xdb);
  assert.ok(dqt > 0);
  assert.equal(jpegLumaTable(jpeg.subarray(0, dqt + 20)), null, 'cut inside the table');
  const broken = jpeg.slice();
  broken[dqt + 2] = 0xff; broken[dqt + 3] = 0xff; // a length past the end
  assert.equal(jpegLumaTable(broken), null);
});
