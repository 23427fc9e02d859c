// `winnow export` through the real CLI: the same export job the app starts (the session's
// runner), its job row resumable by jobs.resume, and flags refused in the contract's words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { jobMap } from '../../src-shared/contract/job-map';
import { ProjectSession } from '../core/project-session';
import { makeFixtureFolder } from '../testing/fixture-images';
import { tempDir } from '../testing/temp';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('winnow export', () => {
  const dir = tempDir();
  const project = join(dir, 'p.winnow');

  it('exports every sample and stores params the session export runner can resume', async () => {
    const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 4 });
    assert.equal(run('import', fixture.root, '--project', project).status, 0);
    const out = join(dir, 'out');
    const res = run('export', '--project', project, '--all', '--out', out, '--split', '0.5', '--seed', '3', '--json');
    assert.equal(res.status, 0, res.stderr);
    const summary = JSON.parse(res.stdout) as { exported: number; bySplit: Record<string, number> };
    assert.equal(summary.exported, fixture.good);
    assert.equal(summary.bySplit.train! + summary.bySplit.val!, fixture.good);
    assert.deepEqual(readdirSync(out).filter((f) => f === 'train' || f === 'val').sort(), ['train', 'val']);
    assert.ok(existsSync(join(out, 'manifest.csv')));

    const session = ProjectSession.open(project, { progress: () => {}, finished: () => {} });
    const [job] = session.jobStore.list().filter((j) => j.kind === 'export');
    await session.close();
    const stored = jobMap.export.params.parse(job!.params);
    assert.deepEqual(stored, { source: { kind: 'all' }, out, layout: 'imagefolder', split: { ratio: 0.5, seed: 3 }, mode: 'new', link: 'copy' });
  });

  it('refuses bad flags and a missing slice in one line', () => {
    const out = join(dir, 'out2');
    for (const [args, pattern] of [
      [['--all', '--out', out, '--split', '2'], /--split: the split must be a fraction between 0 and 1/],
      [['--all', '--out', out, '--split', 'half'], /--split: the split must be a fraction between 0 and 1/],
      [['--all', '--out', out, '--layout', 'tree'], /--layout:/],
      [['--all', '--slice', 'x', '--out', out], /exactly one of --slice NAME, --query QUERY or --all/],
      [['--slice', 'nothing', '--out', out], /export failed: no slice named "nothing"/],
    ] as Array<[string[], RegExp]>) {
      const res = run('export', '--project', project, ...args);
      assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
      const lines = res.stderr.trim().split('\n');
      assert.match(lines[lines.length - 1]!, pattern);
      assert.match(lines[lines.length - 1]!, /^winnow: /);
    }
    assert.ok(!existsSync(out));
  });
});
