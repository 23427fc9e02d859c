// A folder built to break an import: every kind of bad file, name, link and folder we know of,
// next to good images that must come through. Generated at test time (no binaries in git).
// `expected` says what the import must do with each path: import it, or report it with a
// reason matching the pattern. Paths not listed (a .txt file, hidden files) must do neither.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { bombPng, drawSample, writeSamplePng } from './fixture-images';

export interface HostileCorpus {
  /** The dataset folder to import. */
  root: string;
  /** Files and folders next to the root that links point at; nothing may be written there. */
  outside: string;
  /** relPath -> 'import' or the reason a report must give. */
  expected: Map<string, 'import' | RegExp>;
  /** Labels files beside the root: formula cells and hostile metadata columns. */
  labels: { formulas: string; protoColumn: string; nulColumn: string; quoteColumn: string; tooManyColumns: string; emptyColumn: string };
  /** True when the folder permissions can actually lock the importer out (not running as root). */
  permissionsApply: boolean;
}

export interface HostileOptions {
  /**
   * Adds a legal 14000×14000 16-bit PNG (196 megapixels: import it with maxMegapixels ≥ 200) that
   * takes about 3 s to decode here (interlaced: no decoding it row by row), well over a 1 s budget.
   */
  slowImage?: boolean;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** Side of the slow image: decoding it takes about 3× the smallest budget (1 s) on a 2-core machine. */
export const SLOW_SIDE = 14_000;

/** A valid interlaced PNG of width × height zero pixels, 16 bits per channel: tiny on disk, slow to decode. */
export async function slowPng(width: number, height: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 1 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const ended = new Promise((r) => deflate.on('end', r));
  // Adam7: seven passes over sub-grids, each row a filter byte and zeros.
  for (const [x0, y0, dx, dy] of [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w <= 0 || h <= 0) continue;
    const row = Buffer.alloc(w * 6 + 1);
    for (let y = 0; y < h; y++) if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await ended;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 16; ihdr[9] = 2; ihdr[12] = 1;
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header is fine and whose pixel data is noise: the decoder fails part way. */
function corruptDataPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(64, 0);
  ihdr.writeUInt32BE(64, 4);
  ihdr[8] = 8; ihdr[9] = 2;
  const noise = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 131 + 7) % 256));
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', noise), chunk('IEND', Buffer.alloc(0))]);
}

/** Writes the corpus under `dir` (root = dir/data, outside = dir/outside). */
export async function makeHostileCorpus(dir: string, opts: HostileOptions = {}): Promise<HostileCorpus> {
  const root = join(dir, 'data');
  const outside = join(dir, 'outside');
  const expected = new Map<string, 'import' | RegExp>();
  const good = async (rel: string, i: number) => {
    await writeSamplePng(join(root, rel), (['circle', 'square', 'stripes'] as const)[i % 3]!, i);
    expected.set(rel, 'import');
  };
  const bad = (rel: string, bytes: Buffer | string, why: RegExp) => {
    writeFileSync(join(root, rel), bytes);
    expected.set(rel, why);
  };
  for (const d of ['cat', 'dog', 'bad\u0007label', 'deep', outside, join(outside, 'dir')]) mkdirSync(d.startsWith('/') ? d : join(root, d), { recursive: true });

  for (let i = 0; i < 6; i++) await good(`cat/cat_${i}.png`, i);
  for (let i = 0; i < 6; i++) await good(`dog/dog_${i}.png`, i + 100);
  const png = await sharp(drawSample('square', 7), { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer();
  const jpeg = await sharp(drawSample('circle', 8), { raw: { width: 32, height: 32, channels: 3 } }).jpeg().toBuffer();

  // Content that is not what its name says.
  writeFileSync(join(root, 'dog', 'really-a-jpeg.png'), jpeg);
  expected.set('dog/really-a-jpeg.png', 'import');
  writeFileSync(join(root, 'dog', 'notes.txt'), '=not an image, not a candidate\n');
  bad('cat/empty.png', Buffer.alloc(0), /empty/);
  bad('cat/text.jpg', 'this is text\n', /not a readable image/);
  bad('cat/truncated.png', png.subarray(0, Math.floor(png.length / 2)), /damaged or truncated/);
  bad('cat/corrupt-data.png', corruptDataPng(), /damaged or truncated|not a readable image/);
  bad('cat/half-header.png', PNG_SIGNATURE, /not a readable image|damaged/);
  bad('dog/bomb.png', bombPng(30000, 30000), /30000×30000 .*over the \d+-megapixel limit/);
  bad('dog/huge-dims.png', bombPng(300_000, 1000), /300000×1000 \(300 megapixels\), over the \d+-megapixel limit/);
  bad('dog/zero-width.png', bombPng(0, 10), /not a readable image|no dimensions/);

  // Names: control characters, unicode, as long as a file system allows; a folder name that is not a label.
  await good('cat/ctl\u001b[31m\u0007name.png', 20);
  await good('cat/ünïcödé-日本語-🐱.png', 21);
  await good(`dog/${'l'.repeat(240)}.png`, 22);
  writeFileSync(join(root, 'bad\u0007label', 'x.png'), png);
  expected.set('bad\u0007label/x.png', /folder name is not a usable label.*control characters/);
  writeFileSync(join(root, 'cat', '.hidden.png'), png);

  // Links: out of the root (file and folder) are reported; a link to a file inside is imported.
  writeFileSync(join(outside, 'secret.png'), png);
  writeFileSync(join(outside, 'dir', 'more.png'), png);
  symlinkSync(join(outside, 'secret.png'), join(root, 'cat', 'link-out.png'));
  expected.set('cat/link-out.png', /symbolic link leads outside the dataset folder/);
  symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
  expected.set('linked-dir/', /symbolic link to a folder; not followed/);
  symlinkSync(join(root, 'cat', 'cat_0.png'), join(root, 'dog', 'link-in.png'));
  expected.set('dog/link-in.png', 'import');
  symlinkSync(join(root, 'nowhere.png'), join(root, 'dog', 'dangling.png'));
  expected.set('dog/dangling.png', /not found|symbolic link to nothing/);

  // Not regular files: a FIFO would block a reader forever.
  if (spawnSync('mkfifo', [join(root, 'dog', 'pipe.png')]).status === 0) expected.set('dog/pipe.png', /not a regular file/);

  // Folders that cannot be read: locked (for anyone but root), and deeper than PATH_MAX (for everyone).
  const permissionsApply = process.getuid?.() !== 0;
  mkdirSync(join(root, 'locked'));
  writeFileSync(join(root, 'locked', 'in.png'), png);
  chmodSync(join(root, 'locked'), 0o000);
  expected.set(permissionsApply ? 'locked/' : 'locked/in.png', permissionsApply ? /folder cannot be read \(permission denied/ : 'import');
  const deepRel = makeDeepFolder(join(root, 'deep'));
  expected.set(`deep/${deepRel}/`, /folder cannot be read \(ENAMETOOLONG\)/);

  if (opts.slowImage) {
    writeFileSync(join(root, 'dog', 'slow-16bit.png'), await slowPng(SLOW_SIDE, SLOW_SIDE));
    expected.set('dog/slow-16bit.png', /decoding took longer than \d+ s/);
  }

  const formulas = join(dir, 'labels-formulas.csv');
  writeFileSync(formulas, [
    'path,label,camera,note',
    'cat/cat_0.png,"=HYPERLINK(""http://evil.example"",""x"")",=cmd|\' /C calc\'!A0,+1',
    'cat/cat_1.png,@SUM(A1),-2+3,"\tlead"',
    'cat/cat_2.png,cat,camA,-1',
    'cat/link-out.png,cat,camA,',
    'dog/pipe.png,dog,camA,',
    '../outside/secret.png,cat,camA,',
    'missing.png,cat,camA,',
  ].join('\n'));
  const header = (cols: string) => `path,label,${cols}\ncat/cat_0.png,cat,${cols.split(',').map(() => 'v').join(',')}\n`;
  const protoColumn = join(dir, 'labels-proto.csv');
  writeFileSync(protoColumn, header('__proto__'));
  const nulColumn = join(dir, 'labels-nul.csv');
  writeFileSync(nulColumn, header('bad\u0000name'));
  const quoteColumn = join(dir, 'labels-quote.csv');
  writeFileSync(quoteColumn, 'path,label,"say ""hi"""\ncat/cat_0.png,cat,v\n');
  const tooManyColumns = join(dir, 'labels-wide.csv');
  writeFileSync(tooManyColumns, header(Array.from({ length: 500 }, (_, i) => `c${i}`).join(',')));
  const emptyColumn = join(dir, 'labels-empty-column.csv');
  writeFileSync(emptyColumn, header('camera,'));

  return { root, outside, expected, labels: { formulas, protoColumn, nulColumn, quoteColumn, tooManyColumns, emptyColumn }, permissionsApply };
}

/** Nests folders until the absolute path is longer than PATH_MAX (4096); returns the path below `base`. */
function makeDeepFolder(base: string): string {
  const part = 'd'.repeat(200);
  const parts: string[] = [];
  // mkdir with a relative path from a folder we are in never hits the limit itself.
  const here = process.cwd();
  try {
    process.chdir(base);
    // Stop at the first folder whose own absolute path is too long to open (4096 with the NUL).
    while (base.length + 1 + parts.join('/').length < 4096) {
      mkdirSync(part);
      process.chdir(part);
      parts.push(part);
    }
    writeFileSync('deep.png', 'never read');
  } finally {
    process.chdir(here);
  }
  return parts.join('/');
}

/** Removes a corpus: `rm -rf` copes with the locked and the too-deep folders. */
export function removeHostileCorpus(dir: string): void {
  spawnSync('chmod', ['-R', 'u+rwx', dir]);
  spawnSync('rm', ['-rf', dir]);
}
