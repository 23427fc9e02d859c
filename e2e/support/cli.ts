import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));

/** Runs the winnow CLI and returns its parsed --json output; throws with stderr on failure. */
export function winnow(...args: string[]): unknown {
  const res = spawnSync(process.execPath, [CLI, ...args, '--json'], { encoding: 'utf8', timeout: 600_000 });
  if (res.status !== 0) throw new Error(`winnow ${args.join(' ')} failed: ${res.stderr}`);
  return JSON.parse(res.stdout);
}
