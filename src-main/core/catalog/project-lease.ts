// The owner lease: at most one process writes a project and runs its jobs. The owner's process
// id, host and a heartbeat live in the project file itself, taken and checked inside one
// `BEGIN IMMEDIATE` transaction, so two processes cannot both win. A second process gets
// `in_use` ("open in another Winnow (pid N)") and can open the project read-only instead; it
// never touches jobs it does not own. A lease whose process is gone (same host, dead pid) or
// whose heartbeat stopped long ago is stale and is taken over.
//
// The table is created here, not by a migration: the lease must be taken before anything else
// is written to the file (migrations included), whatever schema the file is at.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RpcError } from '../../../src-shared/rpc/errors';
import { writeIfFree, type Db } from './db';

export interface LeaseHolder {
  pid: number;
  host: string;
  /** Unix milliseconds of the owner's last heartbeat. */
  heartbeatAt: number;
}

export interface LeaseOptions {
  pid?: number;
  host?: string;
  now?: () => number;
  /** Whether a process on this host is still running; injectable for tests. */
  isAlive?: (pid: number) => boolean;
  heartbeatMs?: number;
  /** A heartbeat older than this marks the lease stale even if the pid exists (pid reuse, other hosts). */
  staleMs?: number;
  /** Called once if another process took the lease over (this one stalled past staleMs). */
  onLost?: () => void;
}

export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 120_000;

const CREATE = `CREATE TABLE IF NOT EXISTS owner_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
  acquired_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL)`;

interface LeaseRow { token: string; pid: number; host: string; heartbeat_at: number }

export class ProjectLease {
  private timer: NodeJS.Timeout | null = null;
  private held = true;

  private constructor(private readonly db: Db, private readonly token: string, private readonly opts: Required<Omit<LeaseOptions, 'onLost'>> & Pick<LeaseOptions, 'onLost'>) {}

  /** Takes the lease or throws `in_use` naming the process that holds it. */
  static acquire(db: Db, options: LeaseOptions = {}): ProjectLease {
    const opts = {
      pid: options.pid ?? process.pid,
      host: options.host ?? hostname(),
      now: options.now ?? Date.now,
      isAlive: options.isAlive ?? processIsAlive,
      heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
      staleMs: options.staleMs ?? STALE_MS,
      onLost: options.onLost,
    };
    const token = randomUUID();
    db.exec(CREATE);
    db.transaction(() => {
      const row = db.prepare('SELECT token, pid, host, heartbeat_at FROM owner_lease WHERE id = 1').get() as LeaseRow | undefined;
      // The same process may reopen a project it holds (the app reopening a file): the newer session takes over.
      const sameProcess = row !== undefined && row.pid === opts.pid && row.host === opts.host;
      if (row && !sameProcess && !isStale(row, opts)) {
        throw new RpcError('in_use', `this project is open in another Winnow (pid ${row.pid}${row.host !== opts.host ? ` on ${row.host}` : ''}); close it there to work on it here`);
      }
      const t = opts.now();
      db.prepare(`INSERT INTO owner_lease (id, token, pid, host, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`)
        .run(token, opts.pid, opts.host, t, t);
    }).immediate();
    const lease = new ProjectLease(db, token, opts);
    lease.timer = setInterval(() => lease.heartbeat(), opts.heartbeatMs);
    lease.timer.unref();
    return lease;
  }

  /** Who holds the lease now, stale or not; null when nobody does (or the file predates leases). */
  static holder(db: Db): LeaseHolder | null {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'owner_lease'`).get();
    if (!exists) return null;
    const row = db.prepare('SELECT pid, host, heartbeat_at FROM owner_lease WHERE id = 1').get() as LeaseRow | undefined;
    return row ? { pid: row.pid, host: row.host, heartbeatAt: row.heartbeat_at } : null;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Renews the heartbeat; false (and onLost) once another process has taken the lease over. */
  heartbeat(): boolean {
    if (!this.held) return false;
    let changes = 1;
    try {
      // Never waited for: the scoring thread may hold the write lock for seconds (db.ts writeIfFree).
      writeIfFree(this.db, () => { changes = this.db.prepare('UPDATE owner_lease SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(this.opts.now(), this.token).changes; });
    } catch {
      return true; // closing: the next beat tries again
    }
    if (changes === 0) {
      this.stop();
      this.opts.onLost?.();
    }
    return this.held;
  }

  /** Gives the lease up (only if still ours), so the next process opens without waiting. */
  release(): void {
    if (!this.held) return;
    this.stop();
    try {
      this.db.prepare('DELETE FROM owner_lease WHERE id = 1 AND token = ?').run(this.token);
    } catch {
      // A lease left behind is stale once this process has exited.
    }
  }

  private stop(): void {
    this.held = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

function isStale(row: LeaseRow, opts: { host: string; now: () => number; isAlive: (pid: number) => boolean; staleMs: number }): boolean {
  if (opts.now() - row.heartbeat_at > opts.staleMs) return true;
  return row.host === opts.host && !opts.isAlive(row.pid);
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists but is not ours. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
