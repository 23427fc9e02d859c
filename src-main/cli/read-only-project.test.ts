// A project the user may read but not write (file mode 444 in a folder of mode 555): commands
// that only read work and say they read it read-only; commands that write are refused with a
// plain message, and the project file is left byte for byte as it was.
//
// Tests here run as root, for whom chmod does not bite (root writes anyway). So when root, the
// CLI runs as the unprivileged user 65534 (nobody): the kernel then really refuses the writes.
// When not root, the CLI runs as the current user and chmod bites directly.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeFixtureFolder } from '../testing/fixture-images';
import { tempDir } from '../testing/temp';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const asRoot = process.getuid?.() === 0;
const asUser: SpawnSyncOptions = asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } } : {};
const run = (opts: SpawnSyncOptions, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { ...opts, encoding: 'utf8' });
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * The unprivileged user must reach the CLI: a checkout inside a folder only root may enter
 * (`mktemp -d` makes mode 700) is made traversable for the test, and put back after it.
 */
function letOthersReachCheckout(): () => void {
  const changed: Array<[string, number]> = [];
  for (let d = dirname(CLI); ; d = dirname(d)) {
    const mode = statSync(d).mode & 0o7777;
    if (!(mode & 0o001)) {
      changed.push([d, mode]);
      chmodSync(d, mode | 0o001);
    }
    if (d === dirname(d)) break;
  }
  return () => { for (const [d, mode] of changed.reverse()) chmodSync(d, mode); };
}

describe('a read-only project', async () => {
  if (asRoot) after(letOthersReachCheckout());
  const dir = tempDir();
  chmodSync(dir, 0o755); // the unprivileged user must reach the folders below
  const images = await makeFixtureFolder(join(dir, 'images'), { perClass: 4 });
  const projectDir = join(dir, 'shared');
  mkdirSync(projectDir);
  const project = join(projectDir, 'team.winnow');
  const out = join(dir, 'out');
  mkdirSync(out, { mode: 0o777 });
  chmodSync(out, 0o777);

  it('is made by a normal import, then closed and write-protected', () => {
    const res = run({}, 'import', images.root, '--project', project);
    assert.equal(res.status, 0, res.stderr);
    chmodSync(project, 0o444);
    chmodSync(projectDir, 0o555);
  });

  it('answers info, saying it reads the project read-only', () => {
    const before = hash(project);
    const res = run(asUser, 'info', '--project', project, '--json');
    assert.equal(res.status, 0, res.stderr);
    assert.equal((JSON.parse(res.stdout) as { total: number }).total, 12);
    assert.match(res.stderr, /read-only/);
    assert.ok(!/SQLITE|readonly database/.test(res.stderr), res.stderr);
    assert.equal(hash(project), before);
    assert.deepEqual(readdirSync(projectDir), ['team.winnow'], 'no -wal or -shm left beside it');
  });

  it('exports from it to a folder that can be written', () => {
    const res = run(asUser, 'export', '--project', project, '--all', '--out', join(out, 'all'), '--json');
    assert.equal(res.status, 0, res.stderr);
    assert.equal((JSON.parse(res.stdout) as { exported: number }).exported, 12);
    assert.ok(existsSync(join(out, 'all', 'manifest.json')));
  });

  it('refuses a command that writes, plainly, and changes nothing', () => {
    const before = hash(project);
    const res = run(asUser, 'import', images.root, '--project', project);
    assert.notEqual(res.status, 0);
    assert.match(res.stderr, /cannot be changed here: the (project file|folder holding the project) is not writable/);
    assert.ok(!/SQLITE|readonly database/.test(res.stderr), res.stderr);
    assert.equal(hash(project), before);
    chmodSync(projectDir, 0o755); // so the temporary folder can be removed by a non-root user
  });
});
