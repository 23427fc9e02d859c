// Job rows in the project file: a job's state survives a crash, so it can be resumed.
import type { JobInfo, JobKind, JobState } from '../../../src-shared/model/job';
import { RpcError } from '../../../src-shared/rpc/errors';
import { writeIfFree, type Db } from '../catalog/db';

interface JobRow {
  id: string; kind: JobKind; state: JobState; params: string; done: number; total: number;
  message: string | null; error: string | null; result: string | null; created_at: string; updated_at: string;
}

const now = () => new Date().toISOString();

export class JobStore {
  constructor(private readonly db: Db) {}

  /** Jobs that were running when the process died are marked so they can be resumed. */
  markInterrupted(): number {
    return this.db.prepare(`UPDATE jobs SET state = 'interrupted', updated_at = ? WHERE state IN ('running', 'queued')`).run(now()).changes;
  }

  create(id: string, kind: JobKind, params: unknown): void {
    this.db.prepare(`INSERT INTO jobs (id, kind, state, params, created_at, updated_at) VALUES (?, ?, 'running', ?, ?, ?)`).run(id, kind, JSON.stringify(params), now(), now());
  }

  setRunning(id: string): void {
    this.db.prepare(`UPDATE jobs SET state = 'running', error = NULL, updated_at = ? WHERE id = ?`).run(now(), id);
  }

  /** Skipped while another connection writes (db.ts writeIfFree): a later progress, or the finish, writes the row. */
  progress(id: string, done: number, total: number, message: string | null): void {
    writeIfFree(this.db, () => this.db.prepare('UPDATE jobs SET done = ?, total = ?, message = ?, updated_at = ? WHERE id = ?').run(done, total, message, now(), id));
  }

  finish(id: string, state: JobState, error: string | null, result: unknown): void {
    this.db.prepare('UPDATE jobs SET state = ?, error = ?, result = ?, updated_at = ? WHERE id = ?').run(state, error, result === undefined ? null : JSON.stringify(result), now(), id);
  }

  get(id: string): JobInfo {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new RpcError('not_found', `no job ${id}`);
    return toInfo(row);
  }

  list(limit = 100): JobInfo[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?').all(limit) as JobRow[]).map(toInfo);
  }

  /** The folders the newest `limit` export jobs were asked to write to, and wrote to. */
  exportFolders(limit: number): string[] {
    const rows = this.db
      .prepare(`SELECT json_extract(params, '$.out') AS asked, json_extract(result, '$.out') AS wrote FROM jobs WHERE kind = 'export' ORDER BY created_at DESC LIMIT ?`)
      .all(limit) as Array<{ asked: unknown; wrote: unknown }>;
    return rows.flatMap((r) => [r.asked, r.wrote]).filter((p): p is string => typeof p === 'string' && p !== '');
  }
}

function toInfo(r: JobRow): JobInfo {
  return {
    id: r.id, kind: r.kind, state: r.state, done: r.done, total: r.total, message: r.message, error: r.error,
    params: JSON.parse(r.params) as unknown, result: r.result ? (JSON.parse(r.result) as unknown) : null,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
