// Slices: named, versioned selections with their parameters and each member's reason. Saving
// a name that exists makes the next version; nothing is overwritten.
import type { SliceInfo, SliceMember } from '../../../src-shared/model/slice';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';

interface SliceRow { id: number; name: string; version: number; mode: SliceInfo['mode']; params: string; seed: number | null; map_id: number | null; created_at: string; size: number }

export class SliceStore {
  constructor(private readonly catalog: Catalog) {}
  private get db() { return this.catalog.db; }

  save(name: string, mode: SliceInfo['mode'], params: unknown, seed: number | null, mapId: number | null, members: Array<{ sampleId: number; reason: string }>): SliceInfo {
    let id = 0;
    this.db.transaction(() => {
      const version = ((this.db.prepare('SELECT MAX(version) FROM slices WHERE name = ?').pluck().get(name) as number | null) ?? 0) + 1;
      id = Number(this.db.prepare('INSERT INTO slices (name, version, mode, params, seed, map_id) VALUES (?, ?, ?, ?, ?, ?)').run(name, version, mode, JSON.stringify(params), seed, mapId).lastInsertRowid);
      const put = this.db.prepare('INSERT INTO slice_members (slice_id, sample_id, rank, reason) VALUES (?, ?, ?, ?)');
      members.forEach((m, rank) => put.run(id, m.sampleId, rank, m.reason));
    })();
    return this.info(id);
  }

  list(): SliceInfo[] {
    return (this.db.prepare('SELECT s.*, (SELECT COUNT(*) FROM slice_members m WHERE m.slice_id = s.id) AS size FROM slices s ORDER BY name, version').all() as SliceRow[]).map(toInfo);
  }

  /** `name` or `name@version`; without a version, the newest. */
  resolve(ref: string): SliceInfo {
    const { name, version } = parseSliceRef(ref);
    return this.find(name, version);
  }

  find(name: string, version?: number): SliceInfo {
    const row = (version === undefined
      ? this.db.prepare('SELECT id FROM slices WHERE name = ? ORDER BY version DESC LIMIT 1').get(name)
      : this.db.prepare('SELECT id FROM slices WHERE name = ? AND version = ?').get(name, version)) as { id: number } | undefined;
    if (row) return this.info(row.id);
    const versions = this.db.prepare('SELECT version FROM slices WHERE name = ? ORDER BY version').pluck().all(name) as number[];
    if (versions.length && version !== undefined) throw new RpcError('not_found', `slice "${name}" has no version ${version} (versions: ${versions.join(', ')})`);
    const names = this.db.prepare('SELECT DISTINCT name FROM slices ORDER BY name LIMIT 20').pluck().all() as string[];
    throw new RpcError('not_found', `no slice named "${name}"${names.length ? ` (slices: ${names.join(', ')})` : ' (none yet: run Auto-Curate first)'}`);
  }

  members(sliceId: number): SliceMember[] {
    return this.db.prepare('SELECT sample_id AS sampleId, rank, reason FROM slice_members WHERE slice_id = ? ORDER BY rank, sample_id').all(sliceId) as SliceMember[];
  }

  private info(id: number): SliceInfo {
    const row = this.db.prepare('SELECT s.*, (SELECT COUNT(*) FROM slice_members m WHERE m.slice_id = s.id) AS size FROM slices s WHERE id = ?').get(id) as SliceRow;
    return toInfo(row);
  }
}

function toInfo(r: SliceRow): SliceInfo {
  return { id: r.id, name: r.name, version: r.version, mode: r.mode, params: JSON.parse(r.params) as unknown, seed: r.seed, mapId: r.map_id, size: r.size, createdAt: r.created_at };
}

/** `name` or `name@3`; a name may itself contain `@`, only a numeric tail counts as a version. */
export function parseSliceRef(ref: string): { name: string; version?: number } {
  const m = /^(.+)@(\d+)$/.exec(ref);
  return m ? { name: m[1]!, version: Number(m[2]) } : { name: ref };
}
