// Two real processes on one project: a CLI embed job runs in one; a second process opening the
// project must not flip that job's state, must not start a second writer, and must say who owns
// it. A killed owner leaves a stale lease that the next process takes over.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { RpcError } from '../../src-shared/rpc/errors';
import { ProjectLease } from '../core/catalog/project-lease';
import { ProjectSession } from '../core/project-session';
import { WinnowCore } from '../core/winnow-core';
import { tempDir } from '../testing/temp';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const quiet = { progress: () => {}, finished: () => {} };

interface JobRow { id: string; kind: string; state: string; done: number }

/** Reads job rows the way a bystander would: a read-only connection that takes no lease. */
function jobs(path: string): JobRow[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, kind, state, done FROM jobs ORDER BY created_at').all() as JobRow[];
  } finally {
    db.close();
  }
}

async function startEmbed(path: string): Promise<{ child: ChildProcess; job: JobRow }> {
  const child = spawn(process.execPath, [CLI, 'embed', '--project', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  for (let i = 0; i < 600; i++) {
    const job = jobs(path).find((j) => j.kind === 'embed' && j.state === 'running' && j.done > 0);
    if (job) return { child, job };
    if (child.exitCode !== null) throw new Error(`embed exited early: ${stderr}`);
    await sleep(200);
  }
  throw new Error(`embed did not start: ${stderr}`);
}

describe('a project owned by another process', () => {
  const dir = tempDir();
  const path = join(dir, 'digits.winnow');
  const children: ChildProcess[] = [];
  after(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });

  it('imports a fixture big enough for a job that runs for seconds', () => {
    const res = run('import', 'mnist', '--project', path);
    assert.equal(res.status, 0, res.stderr);
  });

  it('leaves the owner\'s running job alone and names the owner', async () => {
    const { child, job } = await startEmbed(path);
    children.push(child);
    const owner = `open in another Winnow (pid ${child.pid})`;

    // A read-only command works beside the owner and sees the job running.
    const info = run('info', '--project', path, '--json');
    assert.equal(info.status, 0, info.stderr);
    assert.ok(info.stderr.includes(owner), info.stderr);
    const seen = (JSON.parse(info.stdout) as { jobs: JobRow[] }).jobs.find((j) => j.id === job.id);
    assert.equal(seen?.state, 'running');

    // A command that would write is refused: no second embed runs beside the first.
    const second = run('embed', '--project', path);
    assert.notEqual(second.status, 0);
    assert.ok(second.stderr.includes(owner), second.stderr);
    assert.ok(!/SQLITE|database is locked/.test(second.stderr), second.stderr);

    // The app (another core in this process) cannot take the project either.
    const core = new WinnowCore();
    await assert.rejects(core.openProject(path), (e: RpcError) => e.code === 'in_use' && e.message.includes(owner));

    // Read-only, the job can be seen but not resumed a second time.
    const ro = ProjectSession.open(path, quiet, undefined, { readOnly: true });
    assert.equal(ro.readOnly, true);
    assert.throws(() => ro.jobs.resume(job.id));
    await ro.close();

    const now = jobs(path);
    assert.deepEqual(now.filter((j) => j.kind === 'embed').map((j) => [j.id, j.state]), [[job.id, 'running']], 'no job flipped, none added');

    // The owner ends its own job; its lease goes with it.
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130);
    assert.equal(jobs(path).find((j) => j.id === job.id)?.state, 'cancelled');
    const db = new Database(path, { readonly: true });
    assert.equal(ProjectLease.holder(db), null);
    db.close();
  });

  it('takes over from an owner that was killed, and marks its job interrupted so it can be resumed', async () => {
    const { child, job } = await startEmbed(path);
    children.push(child);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const db = new Database(path, { readonly: true });
    assert.equal(ProjectLease.holder(db)?.pid, child.pid, 'a killed owner leaves its lease behind');
    db.close();
    const session = ProjectSession.open(path, quiet);
    try {
      assert.equal(session.readOnly, false);
      assert.equal(session.jobStore.get(job.id).state, 'interrupted');
      assert.equal(ProjectLease.holder(session.catalog.db)?.pid, process.pid);
    } finally {
      await session.close();
    }
  });
});
