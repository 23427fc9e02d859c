// The small-PNG fast path: the files it takes keep exactly their pixels; every file it must not
// take (alpha, palette, 16-bit, interlaced, large, colour-managed, rotated, damaged) goes to sharp.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { drawSample } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { decodeImage, THUMB_SIZE } from './decode-image';
import { smallPngThumbnail } from './small-png';

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
});
