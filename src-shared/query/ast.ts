export type Value = string | number | null;
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

export type QueryNode =
  | { kind: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { kind: 'not'; expr: QueryNode }
  | { kind: 'compare'; field: string; op: CompareOp; value: Value }
  /** Field against field, e.g. suggested != label: the right side is an unquoted field name. */
  | { kind: 'compare-fields'; field: string; op: CompareOp; other: string }
  | { kind: 'in'; field: string; values: Value[] }
  | { kind: 'all' };

/** Fields every project has; any other name refers to a metadata field (or `meta.NAME`). */
export const BUILTIN_FIELDS = {
  id: 'number', label: 'text', original_label: 'text', split: 'text', path: 'text', excluded: 'bool',
  relabelled: 'bool', reviewed: 'bool', sparseness: 'number', noise: 'number', confidence: 'number', suggested: 'text', dup_group: 'number', cluster: 'number',
  // From imported model predictions (winnow import-predictions); null without them.
  model_disagree: 'number', model_label: 'text',
  width: 'number', height: 'number', slice: 'text',
  // true where a duplicate of the sample (by the last leak check) is in another split.
  leaks: 'text',
} as const;
export type BuiltinField = keyof typeof BUILTIN_FIELDS;

export const QUERY_HELP = `Queries filter samples, e.g.  label = 7 and noise > 0.8
  comparisons: = != < <= > >= and ~ (contains, text)
  combine with and / or / not and parentheses; label in (cat, dog)
  fields: ${Object.keys(BUILTIN_FIELDS).join(', ')}, or any metadata field (meta.NAME when it clashes)
  values: numbers, bare words, "quoted text", null, true / false (excluded, relabelled, reviewed)
  field against field: an unquoted field name as the value, e.g.  suggested != label  ("label" in quotes is text)`;

/** Whether an unquoted word on a comparison's right side names a field rather than text. */
export function isFieldRef(word: string): boolean {
  const lower = word.toLowerCase();
  return (lower in BUILTIN_FIELDS && lower !== 'slice') || (lower.startsWith('meta.') && lower.length > 5);
}
