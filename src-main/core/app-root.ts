// The application's root folder (where package.json, resources/ and node_modules/ are), found
// by walking up from this module: the same answer from the sources (tsx) and from the bundled
// desktop build in out/main, whose depth differs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function appRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'winnow') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Winnow installation folder (package.json)');
    dir = up;
  }
}
