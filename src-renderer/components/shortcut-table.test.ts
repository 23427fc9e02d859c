import assert from 'node:assert/strict';
import { it } from 'node:test';
import { COMMAND_KEYS, REVIEW_KEYS, commandTitle, helpRows, reviewKeyFor } from './shortcut-table';

it('gives every command its own key, shown as its label in the help and the tooltips', () => {
  const keys = Object.values(COMMAND_KEYS).map((c) => c.key);
  assert.equal(new Set(keys).size, keys.length, `a key is used twice: ${keys.join(' ')}`);
  for (const c of Object.values(COMMAND_KEYS)) assert.equal(c.keyLabel.toLowerCase(), c.key);
  const help = new Map(helpRows());
  for (const [id, c] of Object.entries(COMMAND_KEYS)) {
    assert.equal(help.get(c.keyLabel), c.help);
    assert.ok(commandTitle(id as keyof typeof COMMAND_KEYS).endsWith(`(${c.keyLabel})`));
  }
  // The old disagreement: the pan tool's tooltip said P, which opens the project dialog.
  assert.match(commandTitle('toolPan'), /\(V\)$/);
});

it('lists every review key in the help, and each key stands for one review action', () => {
  const seen = new Map<string, string>();
  for (const [id, k] of Object.entries(REVIEW_KEYS)) {
    for (const key of k.keys) {
      assert.equal(seen.get(key), undefined, `${key} is used by ${seen.get(key)} and ${id}`);
      seen.set(key, id);
      assert.equal(reviewKeyFor(key), id);
    }
  }
  // Accepting a suggestion is one key, Enter or A; the letters act only lower-case, so Shift types a label.
  assert.equal(reviewKeyFor('Enter'), 'accept');
  assert.equal(reviewKeyFor('a'), 'accept');
  assert.equal(reviewKeyFor('A'), null);
  const help = new Map(helpRows());
  for (const k of Object.values(REVIEW_KEYS)) assert.equal(help.get(`In review: ${k.keyLabel}`), k.help);
});
