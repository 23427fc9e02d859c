// Lists candidate image files under a root. Symlinked folders are not followed (no loops, no
// escaping the root); hidden entries are skipped.
import { readdir } from 'node:fs/promises';
import { join, extname } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif', '.bmp']);

export interface FoundFile {
  relPath: string;
  absPath: string;
}

export async function scanFolder(root: string, signal?: AbortSignal): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  async function walk(rel: string): Promise<void> {
    signal?.throwIfAborted();
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(childRel);
      else if (e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push({ relPath: childRel, absPath: join(root, childRel) });
    }
  }
  await walk('');
  return out;
}

/** The label a folder layout implies: the first sub-folder under the root, or none. */
export function labelFromPath(relPath: string): string | null {
  const i = relPath.indexOf('/');
  return i > 0 ? relPath.slice(0, i) : null;
}
