// Compiles a parsed query into one parameterised SQL condition over `samples s` (left-joined to
// the newest map's scores as `sc`). Values are always bound parameters, never spliced.
import { BUILTIN_FIELDS, type BuiltinField, type QueryNode, type Value } from '../../../src-shared/query/ast';
import { RpcError } from '../../../src-shared/rpc/errors';
import { sqlJsonPath } from '../catalog/catalog';

const COLUMN: Record<Exclude<BuiltinField, 'slice' | 'leaks'>, string> = {
  id: 's.id', label: 's.label', original_label: 's.original_label', split: 's.split', path: 's.rel_path', excluded: 's.excluded',
  relabelled: '(s.label IS NOT s.original_label)', reviewed: 's.reviewed', width: 's.width', height: 's.height',
  sparseness: 'sc.sparseness', noise: 'sc.noise', confidence: 'sc.suggested_confidence', suggested: 'sc.suggested_label', dup_group: 'sc.dup_group', cluster: 'sc.cluster',
  model_disagree: 'sc.model_disagree', model_label: 'sc.model_label',
};
const SCORE_FIELDS = new Set(['sparseness', 'noise', 'confidence', 'suggested', 'dup_group', 'cluster', 'model_disagree', 'model_label']);

export interface CompiledQuery { where: string; params: Value[]; usesScores: boolean; usesLeaks?: boolean }

export function compileQuery(ast: QueryNode, metadataFields: string[], hasScores: boolean): CompiledQuery {
  const params: Value[] = [];
  let usesScores = false;
  let usesLeaks = false;
  const meta = new Set(metadataFields);

  type FieldType = 'text' | 'number' | 'bool' | 'any';
  function column(field: string): { sql: string; type: FieldType } {
    const lower = field.toLowerCase();
    if (lower in COLUMN) {
      if (SCORE_FIELDS.has(lower)) {
        if (!hasScores) throw new RpcError('precondition', `"${field}" is a curation score; compute the map and scores first (winnow map)`);
        usesScores = true;
      }
      return { sql: COLUMN[lower as keyof typeof COLUMN], type: BUILTIN_FIELDS[lower as BuiltinField] };
    }
    const name = field.startsWith('meta.') ? field.slice(5) : field;
    if (meta.has(name)) return { sql: `json_extract(s.metadata, ${sqlJsonPath(name)})`, type: 'any' };
    const known = [...Object.keys(BUILTIN_FIELDS), ...metadataFields].join(', ');
    throw new RpcError('bad_request', `unknown field "${field}"; known fields: ${known}`);
  }

  function bind(v: Value, type: FieldType, field: string): string {
    if (type === 'bool' && typeof v === 'string') {
      const word = v.toLowerCase();
      if (word !== 'true' && word !== 'false') throw new RpcError('bad_request', `"${field}" is true or false; "${v}" is not`);
      params.push(word === 'true' ? 1 : 0);
      return '?';
    }
    if (type === 'number' && typeof v === 'string') throw new RpcError('bad_request', `"${field}" is a number; "${v}" is not`);
    params.push(type === 'text' && typeof v === 'number' ? String(v) : v);
    return '?';
  }

  function compareFields(n: Extract<QueryNode, { kind: 'compare-fields' }>): string {
    if (n.field.toLowerCase() === 'slice') throw new RpcError('bad_request', 'slice cannot be compared with another field');
    const a = column(n.field), b = column(n.other);
    const numeric = (t: FieldType) => t === 'number' || t === 'bool';
    if ((a.type === 'text' && numeric(b.type)) || (b.type === 'text' && numeric(a.type))) {
      throw new RpcError('bad_request', `cannot compare "${n.field}" (${a.type}) with "${n.other}" (${b.type}); quote "${n.other}" to compare with that text`);
    }
    // = is IS, so two missing values are equal. != asks where two values disagree, so a sample
    // missing either one never matches: `suggested != label` is then the samples whose scores
    // suggest another label, not also every sample with no suggestion (find those with `= null`).
    if (n.op === '=') return `(${a.sql} IS ${b.sql})`;
    if (n.op === '!=') return `(${a.sql} IS NOT NULL AND ${b.sql} IS NOT NULL AND ${a.sql} != ${b.sql})`;
    if (n.op === '~') return `(instr(lower(${a.sql}), lower(${b.sql})) > 0)`;
    return `(${a.sql} ${n.op} ${b.sql})`;
  }

  function sliceCond(values: Value[], negate: boolean): string {
    const marks = values.map((v) => { params.push(v === null ? null : String(v)); return '?'; }).join(', ');
    return `${negate ? 'NOT ' : ''}EXISTS (SELECT 1 FROM slice_members m JOIN slices sl ON sl.id = m.slice_id WHERE m.sample_id = s.id AND sl.name IN (${marks}) AND sl.version = (SELECT MAX(version) FROM slices WHERE name = sl.name))`;
  }

  // A copy (same group in the last leak check, core/splits/) in another split, by the splits as they are now.
  function leaksCond(value: Value, negate: boolean): string {
    const v = String(value).toLowerCase();
    const yes = ['true', '1', 'yes'].includes(v);
    if (!yes && !['false', '0', 'no'].includes(v)) throw new RpcError('bad_request', `leaks is true or false, not "${String(value)}"`);
    usesLeaks = true;
    const cond = `EXISTS (SELECT 1 FROM leak_groups la JOIN leak_groups lb ON lb.grp = la.grp JOIN samples s2 ON s2.id = lb.sample_id WHERE la.sample_id = s.id AND s.split IS NOT NULL AND s2.split IS NOT NULL AND s2.split != s.split)`;
    return yes !== negate ? cond : `NOT ${cond}`;
  }

  function walk(n: QueryNode): string {
    switch (n.kind) {
      case 'all': return '1';
      case 'and': return `(${walk(n.left)} AND ${walk(n.right)})`;
      case 'or': return `(${walk(n.left)} OR ${walk(n.right)})`;
      case 'not': return `(NOT ${walk(n.expr)})`;
      case 'compare-fields': return compareFields(n);
      case 'in': {
        if (n.field.toLowerCase() === 'slice') return sliceCond(n.values, false);
        if (n.field.toLowerCase() === 'leaks') return `(${n.values.map((v) => leaksCond(v, false)).join(' OR ')})`;
        const c = column(n.field);
        return `(${c.sql} IN (${n.values.map((v) => bind(v, c.type, n.field)).join(', ')}))`;
      }
      case 'compare': {
        if (n.field.toLowerCase() === 'slice') {
          if (n.op !== '=' && n.op !== '!=') throw new RpcError('bad_request', 'slice supports only = and !=');
          return sliceCond([n.value], n.op === '!=');
        }
        if (n.field.toLowerCase() === 'leaks') {
          if (n.op !== '=' && n.op !== '!=') throw new RpcError('bad_request', 'leaks supports only = and !=');
          return leaksCond(n.value, n.op === '!=');
        }
        const c = column(n.field);
        if (n.value === null) {
          if (n.op === '=') return `(${c.sql} IS NULL)`;
          if (n.op === '!=') return `(${c.sql} IS NOT NULL)`;
          throw new RpcError('bad_request', `only = and != can compare "${n.field}" with null`);
        }
        if (n.op === '~') {
          params.push(String(n.value).toLowerCase());
          return `(instr(lower(${c.sql}), ?) > 0)`;
        }
        if (n.op === '!=') return `(${c.sql} IS NOT ${bind(n.value, c.type, n.field)})`;
        return `(${c.sql} ${n.op} ${bind(n.value, c.type, n.field)})`;
      }
    }
  }

  const where = walk(ast);
  return { where, params, usesScores, usesLeaks };
}
