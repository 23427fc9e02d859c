// Reads one image file: content hash, dimensions, a small PNG thumbnail and the look made from
// its pixels (signature and tile, core/curate/engine/look.ts). Runs inside an
// import worker. Every failure becomes a one-line reason, never an exception for the batch.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import sharp, { type Metadata } from 'sharp';
import { onBackdrop } from '../images/alpha';
import { lookOfPixels, type Look } from '../curate/engine/look';
import { decodeSmallPng, smallPngThumbnail } from './small-png';
import { jpegLumaTable } from '../images/jpeg-quant';

/** Images over this many pixels are refused before decoding (decompression bombs); the user can raise it. */
export const MAX_PIXELS = 100_000_000;
/** A legal image that takes longer than this to decode is reported, not waited for; the user can raise it. */
export const DECODE_TIMEOUT_SECONDS = 30;
/** A worker answers a batch once this much time has passed; the files it did not reach are sent again. */
export const BATCH_SOFT_SECONDS = 10;
export const THUMB_SIZE = 96;

export interface DecodeTask { relPath: string; absPath: string; maxPixels?: number; timeoutSeconds?: number }
/** `look`: the image's signature and tile, from the thumbnail's pixels (null where they could not be read: the import's last pass retries). */
export type DecodeResult =
  | { relPath: string; ok: true; hash: string; width: number; height: number; channels: number; thumb: Uint8Array; thumbWidth: number; thumbHeight: number; look: Look | null; jpegQuant?: Uint16Array | null }
  | { relPath: string; ok: false; reason: string };

sharp.cache(false);
sharp.concurrency(1);

export async function decodeImage(task: DecodeTask): Promise<DecodeResult> {
  const fail = (reason: string): DecodeResult => ({ relPath: task.relPath, ok: false, reason });
  let bytes: Buffer;
  try {
    const read = readRegularFile(task.absPath);
    if (!read) return fail('not a regular file');
    bytes = read;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file disappeared during import' : `cannot read file (${code ?? String(err)})`);
  }
  if (bytes.length === 0) return fail('file is empty (0 bytes)');
  const hash = createHash('sha256').update(bytes).digest('hex');
  const maxPixels = task.maxPixels ?? MAX_PIXELS;
  // Most dataset files are small PNGs that are their own thumbnail (small-png.ts); the rest, and
  // any such file over a (lowered) pixel limit, take sharp's path below.
  const small = smallPngThumbnail(bytes, THUMB_SIZE);
  if (small && small.width * small.height <= maxPixels) {
    const look = lookOf(small.pixels, small.width, small.height, small.channels);
    return { relPath: task.relPath, ok: true, hash, width: small.width, height: small.height, channels: small.channels, thumb: small.thumb, thumbWidth: small.width, thumbHeight: small.height, look };
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    return fail(`not a readable image (${shortReason(err)})`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!width || !height) return fail('image has no dimensions');
  const seconds = task.timeoutSeconds ?? DECODE_TIMEOUT_SECONDS;
  if (width * height > maxPixels) {
    return fail(`image is ${width}×${height} (${Math.round((width * height) / 1e6)} megapixels), over the ${maxPixels / 1e6}-megapixel limit (raise it with --max-megapixels)`);
  }
  const overBudget = () => fail(`decoding took longer than ${seconds} s, the per-file budget (raise it with --decode-timeout)`);
  const started = performance.now();
  try {
    // Transparency on the app's backdrop, so the thumbnail reads the same on the dark UI as
    // everywhere else (core/images/alpha.ts).
    const { data, info } = await onBackdrop(sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }))
      .timeout({ seconds })
      .rotate()
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 6 })
      .toBuffer({ resolveWithObject: true });
    // libvips checks its timeout only while it streams pixels; formats it must decode whole
    // first (interlaced PNG) finish regardless. Such a file is still refused as over budget, so
    // the outcome never depends on the format; the batch's own deadline bounds the time spent.
    if (performance.now() - started > seconds * 1000) return overBudget();
    const thumb = new Uint8Array(data);
    // The thumbnail's own pixels, as the scoring would read them back (appearance-store.ts).
    const px = decodeSmallPng(thumb);
    const look = px && lookOf(px.data, px.width, px.height, px.channels);
    // A JPEG whose thumbnail is its own pixels (not resized, not turned) keeps its luminance
    // table: the near-duplicate comparison excuses what that compression explains.
    const own = meta.format === 'jpeg' && info.width === width && info.height === height && (meta.orientation ?? 1) === 1;
    return { relPath: task.relPath, ok: true, hash, width, height, channels: meta.channels ?? 3, thumb, thumbWidth: info.width, thumbHeight: info.height, look, jpegQuant: own ? jpegLumaTable(bytes) : null };
  } catch (err) {
    if (/^timeout/.test(shortReason(err))) return overBudget();
    return fail(`image is damaged or truncated (${shortReason(err)})`);
  }
}

/** The look of a thumbnail's pixels; null if they are unusable (never a failed import for that). */
function lookOf(data: Uint8Array, width: number, height: number, channels: number): Look | null {
  try {
    return lookOfPixels(data, width, height, channels);
  } catch {
    return null;
  }
}

/**
 * The file's bytes, or null when the path is no longer a regular file (replaced by a FIFO or a
 * device since the scan). Synchronous: this runs in a decode worker, where one open, fstat and
 * read cost a third of what the promise API's separate round trips do per small file. Opened
 * non-blocking, so a FIFO put there after the scan cannot stall the open.
 */
export function readRegularFile(path: string): Buffer | null {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!fstatSync(fd).isFile()) return null;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.replace(/^Input (buffer|file) /, '').slice(0, 160);
}
