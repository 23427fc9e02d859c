import assert from 'node:assert/strict';
import { it } from 'node:test';
import { COMMAND_KEYS, commandTitle, helpRows } from './shortcut-table';

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
