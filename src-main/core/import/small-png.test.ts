// The small-PNG fast path: the files it takes keep exactly their pixels; every file it must not
// take (alpha, palette, 16-bit, interlaced, large, colour-managed, rotated, damaged) goes to sharp.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { drawSample } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { decodeImage, THUMB_SIZE } from './decode-image';
import { decodeSmallPng, smallPngThumbnail } from './small-png';

const rgb = (size = 32) => sharp(drawSample('circle', 3, size), { raw: { width: size, height: size, channels: 3 } });
const grey = (size = 28) => rgb(size).toColourspace('b-w');

async function pixels(png: Uint8Array) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** A chunk with its length and CRC, to splice into a PNG. */
function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
  return Buffer.concat([head, body, crc]);
}

/** Inserts a chunk right after IHDR (8 bytes of signature + 25 of IHDR). */
const withChunk = (png: Buffer, type: string, body: Buffer) => Buffer.concat([png.subarray(0, 33), chunk(type, body), png.subarray(33)]);

describe('small PNG fast path', () => {
  it('takes small 8-bit grey and RGB PNGs; the thumbnail holds exactly the decoded pixels', async () => {
    for (const [name, img, channels] of [['grey', grey(), 1], ['rgb', rgb(), 3], ['rgb at the size limit', rgb(THUMB_SIZE), 3]] as const) {
      const png = await img.png({ compressionLevel: 9 }).toBuffer();
      const fast = smallPngThumbnail(png, THUMB_SIZE);
      assert.ok(fast, name);
      const meta = await sharp(png).metadata();
      assert.deepEqual([fast.width, fast.height, fast.channels], [meta.width, meta.height, channels], name);
      assert.equal(meta.channels, channels, name);
      const want = await pixels(png);
      const got = await pixels(fast.thumb);
      assert.deepEqual([got.width, got.height, got.channels], [want.width, want.height, want.channels], name);
      assert.ok(got.data.equals(want.data), `${name}: pixels differ`);
    }
  });

  it('drops text chunks from the thumbnail but keeps the pixels', async () => {
    const png = withChunk(await grey().png().toBuffer(), 'tEXt', Buffer.from('Comment\0made by a test'));
    const fast = smallPngThumbnail(png, THUMB_SIZE);
    assert.ok(fast);
    assert.ok(!Buffer.from(fast.thumb).includes('made by a test'));
    assert.ok((await pixels(fast.thumb)).data.equals((await pixels(png)).data));
  });

  it('leaves to sharp what it must not take', async () => {
    const good = await rgb().png().toBuffer();
    const idatAt = good.indexOf('IDAT');
    const flipped = Buffer.from(good);
    flipped[idatAt + 10] ^= 0xff;
    const cases: Array<[string, Buffer]> = [
      ['alpha', await rgb().ensureAlpha(0.5).png().toBuffer()],
      ['palette', await rgb().png({ palette: true }).toBuffer()],
      ['16-bit', await rgb().toColourspace('rgb16').png().toBuffer()],
      ['interlaced', await rgb().png({ progressive: true }).toBuffer()],
      ['larger than a thumbnail', await rgb(THUMB_SIZE + 1).png().toBuffer()],
      ['a colour profile', await rgb().withIccProfile('p3').png().toBuffer()],
      ['a gamma chunk', withChunk(good, 'gAMA', Buffer.from([0, 0, 0xb1, 0x8f]))],
      ['an orientation (eXIf)', withChunk(good, 'eXIf', Buffer.from('MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0', 'latin1'))],
      ['a damaged IDAT (bad CRC)', flipped],
      ['truncated', good.subarray(0, good.length >> 1)],
      ['no IEND', good.subarray(0, good.length - 12)],
      ['bytes after IEND', Buffer.concat([good, Buffer.from('junk')])],
      ['a JPEG', await rgb().jpeg().toBuffer()],
    ];
    for (const [name, bytes] of cases) assert.equal(smallPngThumbnail(bytes, THUMB_SIZE), null, name);
  });

  it('a valid chunk layout around a corrupt zlib stream is refused, and sharp reports the file', async () => {
    const good = await rgb().png().toBuffer();
    const at = good.indexOf('IDAT') - 4;
    const len = good.readUInt32BE(at);
    const body = Buffer.from(good.subarray(at + 8, at + 8 + len));
    body.fill(0x55, 2, body.length - 4);
    const bad = Buffer.concat([good.subarray(0, at), chunk('IDAT', body), good.subarray(at + 12 + len)]);
    assert.equal(smallPngThumbnail(bad, THUMB_SIZE), null);
    const file = join(tempDir(), 'bad.png');
    writeFileSync(file, bad);
    const res = await decodeImage({ relPath: 'bad.png', absPath: file });
    assert.equal(res.ok, false);
  });

  it('a small PNG over a lowered pixel limit is still refused with the limit reason', async () => {
    const file = join(tempDir(), 'small.png');
    await rgb().png().toFile(file);
    const res = await decodeImage({ relPath: 'small.png', absPath: file, maxPixels: 100 });
    assert.equal(res.ok, false);
    assert.match((res as { reason: string }).reason, /32×32 .* over the 0\.0001-megapixel limit/);
    const ok = await decodeImage({ relPath: 'small.png', absPath: file });
    assert.equal(ok.ok, true);
  });

  it('reads the pixels of such a PNG exactly as sharp does, rows of every filter type, any size', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const seen = new Set<number>();
    for (const [w, h, channels] of [[1, 1, 1], [3, 5, 3], [28, 28, 1], [37, 95, 3], [96, 2, 1]] as const) {
      // Smooth rows with noise, so every predictor has something to predict.
      const raw = Uint8Array.from({ length: w * h * channels }, (_, i) => Math.round(120 + 100 * Math.sin(i / 7) + 30 * rand()) & 255);
      for (const filters of [[0], [1], [2], [3], [4], [4, 3, 2, 1, 0]]) {
        const png = encodePng(raw, w, h, channels, (y) => filters[y % filters.length]!);
        filters.forEach((f) => seen.add(f));
        const got = decodeSmallPng(png);
        assert.ok(got, `${w}×${h}×${channels} filters ${filters}`);
        // sharp hands grey PNGs of some encoders back as three equal channels; ask it for one.
        const { data, info } = await sharp(png).toColourspace(channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
        const want = { data, width: info.width, height: info.height, channels: info.channels };
        assert.deepEqual([got.width, got.height, got.channels], [want.width, want.height, want.channels]);
        assert.ok(Buffer.from(got.data).equals(want.data), `${w}×${h}×${channels} filters ${filters}: pixels differ`);
      }
    }
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
    // What sharp writes for the import's thumbnails is read the same way (adaptive filters too).
    for (const png of [await rgb(64).png({ compressionLevel: 6 }).toBuffer(), await grey(90).png({ adaptiveFiltering: true }).toBuffer()]) {
      const got = decodeSmallPng(png);
      assert.ok(got);
      assert.ok(Buffer.from(got.data).equals(await sharp(png).toColourspace(got.channels === 1 ? 'b-w' : 'srgb').raw().toBuffer()));
    }
    assert.equal(decodeSmallPng(await rgb().png({ progressive: true }).toBuffer()), null, 'interlaced: sharp reads it');
    assert.equal(decodeSmallPng(await rgb(THUMB_SIZE + 1).png().toBuffer(), THUMB_SIZE), null, 'over the side given');
  });

  it('the thumbnails the import writes through sharp are read without it', async () => {
    const dir = tempDir();
    const big = join(dir, 'big.png'), alpha = join(dir, 'alpha.png'), photo = join(dir, 'photo.jpg');
    await rgb(300).png().toFile(big);
    await rgb(200).ensureAlpha(0.6).png().toFile(alpha);
    await rgb(250).jpeg().toFile(photo);
    for (const file of [big, alpha, photo]) {
      const res = await decodeImage({ relPath: file, absPath: file });
      assert.ok(res.ok, file);
      const got = decodeSmallPng(res.thumb);
      assert.ok(got, `${file}: thumbnail read`);
      assert.ok(Buffer.from(got.data).equals(await sharp(res.thumb).toColourspace(got.channels === 1 ? 'b-w' : 'srgb').raw().toBuffer()), file);
    }
  });
});

/** A PNG of 8-bit grey or RGB `raw` whose row y is written with PNG filter filterOf(y). */
function encodePng(raw: Uint8Array, w: number, h: number, channels: number, filterOf: (y: number) => number): Buffer {
  const row = w * channels, bpp = channels;
  const out = Buffer.alloc((row + 1) * h);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : raw[y * row + x]!);
  for (let y = 0; y < h; y++) {
    const f = filterOf(y);
    out[y * (row + 1)] = f;
    for (let x = 0; x < row; x++) {
      const a = at(x - bpp, y), b = at(x, y - 1), c = at(x - bpp, y - 1);
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f]!;
      out[y * (row + 1) + 1 + x] = (raw[y * row + x]! - pred) & 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = channels === 1 ? 0 : 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(out)), chunk('IEND', Buffer.alloc(0))]);
}
