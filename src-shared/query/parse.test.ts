import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery, QueryError } from './parse';

describe('query grammar', () => {
  it('parses comparisons with precedence: and binds tighter than or', () => {
    assert.deepEqual(parseQuery('label = 7 and noise > 0.8 or split = test'), {
      kind: 'or',
      left: { kind: 'and', left: { kind: 'compare', field: 'label', op: '=', value: 7 }, right: { kind: 'compare', field: 'noise', op: '>', value: 0.8 } },
      right: { kind: 'compare', field: 'split', op: '=', value: 'test' },
    });
  });

  it('parses not, parentheses, lists, quotes and null', () => {
    assert.deepEqual(parseQuery('not (label in (cat, "big dog")) and camera != null'), {
      kind: 'and',
      left: { kind: 'not', expr: { kind: 'in', field: 'label', values: ['cat', 'big dog'] } },
      right: { kind: 'compare', field: 'camera', op: '!=', value: null },
    });
    assert.deepEqual(parseQuery('   '), { kind: 'all' });
  });

  for (const [q, msg] of [
    ['label =', /expected a value at 8 \(end of query\)/],
    ['label 7', /expected a comparison after "label"/],
    ['(label = 1', /expected "\)"/],
    ['label = "unterminated', /unterminated quote/],
    ['label = 1 noise > 2', /expected "and", "or"/],
    ['= 3', /expected a field name at 1/],
    ['label in (1, 2', /expected "\)" to close the list/],
  ] as Array<[string, RegExp]>) {
    it(`reports a clear error for: ${q}`, () => {
      assert.throws(() => parseQuery(q), (e: QueryError) => e instanceof QueryError && msg.test(e.message));
    });
  }

  it('reads an unquoted field name on the right as that field, a quoted one as text', () => {
    assert.deepEqual(parseQuery('suggested != label'), { kind: 'compare-fields', field: 'suggested', op: '!=', other: 'label' });
    assert.deepEqual(parseQuery('label = Original_Label and x < meta.y'), {
      kind: 'and',
      left: { kind: 'compare-fields', field: 'label', op: '=', other: 'Original_Label' },
      right: { kind: 'compare-fields', field: 'x', op: '<', other: 'meta.y' },
    });
    assert.deepEqual(parseQuery('suggested != "label"'), { kind: 'compare', field: 'suggested', op: '!=', value: 'label' });
    assert.deepEqual(parseQuery('label = slice'), { kind: 'compare', field: 'label', op: '=', value: 'slice' }, 'slice is no column');
    assert.deepEqual(parseQuery('reviewed = false'), { kind: 'compare', field: 'reviewed', op: '=', value: 'false' });
  });
});
