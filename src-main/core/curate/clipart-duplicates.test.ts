// Issue #19 on a generated clip-art folder: transparent line drawings and silhouettes in several
// colours, stars of 4–12 points, flat images, gradients, and true copies (re-encoded, resized,
// shifted). Read as the app reads them: the import's thumbnail (decode-image.ts), then the
// appearance store's decode. The true copies must be grouped, nothing else, and the largest
// group must be the largest true copy set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeImage } from '../import/decode-image';
import { appearanceOf } from './appearance-store';
import { clipartItems, encodeClipart } from '../../testing/curation/clipart';
import { findAppearanceDuplicates, isFlatSignature } from './engine';
import { tempDir } from '../../testing/temp';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

test('clip art: true copies are grouped, unrelated drawings, stars, flats and gradients are not', async () => {
  const items = clipartItems();
  const dir = tempDir();
  const sigs: Uint8Array[] = [];
  for (const it of items) {
    const { ext, bytes } = await encodeClipart(it);
    const path = join(dir, `${it.name}.${ext}`);
    writeFileSync(path, bytes);
    const d = await decodeImage({ relPath: it.name, absPath: path });
    assert.ok(d.ok);
    const look = await appearanceOf({ format: 'png', width: d.thumbWidth, height: d.thumbHeight, data: d.thumb });
    sigs.push(look!.signature);
  }
  const source = (i: number) => (items[i]!.copyOf >= 0 ? items[i]!.copyOf : i);
  // White shapes on transparent are blank on the white backdrop, like the flat images: reported
  // flat, never matched, so their copies cannot be found by appearance.
  const blank = items.map((_, i) => isFlatSignature(sigs[source(i)]!));
  assert.ok(items.filter((it, i) => it.kind === 'flat' && blank[i]).length >= 14, 'flat images are flat');
  const groups = findAppearanceDuplicates(sigs);
  // No group mixes two originals: nothing unrelated is grouped.
  for (const g of groups.groups) assert.equal(new Set(Array.from(g, source)).size, 1, `group ${Array.from(g, (i) => items[i]!.name)}`);
  // Copies found: every visible copy but those whose edit moves a frame-filling gradient (a shift
  // brings in a transparent strip, which on white is a new edge) or blurs a faint one (WebP).
  let copies = 0, found = 0;
  items.forEach((it, i) => {
    if (it.copyOf < 0 || blank[i]) return;
    copies++;
    if (groups.groupOf[i] >= 0 && groups.groupOf[i] === groups.groupOf[it.copyOf]) found++;
  });
  assert.ok(found >= copies - 4, `${found} / ${copies} copies found`); // measured 34 / 38
  const setSize = new Map<number, number>();
  items.forEach((_, i) => setSize.set(source(i), (setSize.get(source(i)) ?? 0) + 1));
  const largest = Math.max(...groups.groups.map((g) => g.length));
  assert.equal(largest, Math.max(...setSize.values()));
});
