import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stratifiedSplit } from './split';
import { MAX_NAME_BYTES, NameAllocator, safeFileName, safeFolderName, truncateUtf8 } from './safe-name';

describe('safe folder names', () => {
  it('never yields a path, a hidden name or a traversal', () => {
    for (const [label, want] of [
      ['../../etc', '_._.._etc'], ['..', '_'], ['.', '_'], ['.hidden', '_hidden'], ['a/b', 'a_b'], ['a\\b', 'a_b'],
      ['C:evil', 'C_evil'], ['what?*<>|"', 'what______'], ['tab\there', 'tab_here'], ['nul\u0000byte', 'nul_byte'],
      ['cat', 'cat'], ['Ünïcödé 猫', 'Ünïcödé 猫'],
    ]) assert.equal(safeFolderName(label!), want, label);
  });

  it('avoids reserved Windows device names in any case, with or without an extension', () => {
    for (const name of ['CON', 'con', 'Prn', 'AUX', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'CON.txt', 'nul.tar.gz', 'COM¹', 'CON ']) {
      const safe = safeFolderName(name);
      assert.match(safe, /^_/, `${name} -> ${safe}`);
    }
    for (const name of ['CONSOLE', 'COM10', 'LPT', 'icon', 'com']) assert.equal(safeFolderName(name), name);
  });

  it('drops trailing dots and spaces, maps empty names to _empty', () => {
    assert.equal(safeFolderName('dog. '), 'dog');
    assert.equal(safeFolderName('  padded  '), 'padded');
    assert.equal(safeFolderName(''), '_empty');
    assert.equal(safeFolderName('   '), '_empty');
    assert.equal(safeFolderName('...'), '_');
  });

  it('caps names at ~100 bytes of UTF-8, keeping long labels with a common prefix apart', () => {
    const a = safeFolderName('x'.repeat(300));
    const b = safeFolderName(`${'x'.repeat(299)}y`);
    assert.ok(Buffer.byteLength(a) <= MAX_NAME_BYTES);
    assert.notEqual(a, b);
    const emoji = safeFolderName('🐈'.repeat(60));
    assert.ok(Buffer.byteLength(emoji) <= MAX_NAME_BYTES);
    assert.ok(!emoji.includes('\uFFFD') && /^(🐈)+~[0-9a-f]{8}$/u.test(emoji), emoji);
    assert.equal(truncateUtf8('aé🐈', 4), 'aé');
  });

  it('keeps file extensions through sanitising and truncation', () => {
    assert.equal(safeFileName('CON.png'), '_CON.png');
    assert.equal(safeFileName('.png'), '_png');
    const long = safeFileName(`${'y'.repeat(250)}.jpeg`);
    assert.ok(long.endsWith('.jpeg') && Buffer.byteLength(long) <= MAX_NAME_BYTES);
  });

  it('resolves clashes deterministically and case-insensitively', () => {
    const alloc = new NameAllocator(['manifest.csv']);
    assert.equal(alloc.claim('a_b'), 'a_b');
    assert.equal(alloc.claim('A_B'), 'A_B~2');
    assert.equal(alloc.claim('a_b'), 'a_b~3');
    assert.equal(alloc.claim('manifest', '.csv'), 'manifest~2.csv');
  });
});

describe('stratified split', () => {
  const samples = [...Array.from({ length: 101 }, (_, i) => ({ id: i + 1, label: 'a' })), ...Array.from({ length: 7 }, (_, i) => ({ id: 200 + i, label: null }))];
  it('puts round(ratio × n) of every label in train, the same way for the same seed', () => {
    const s = stratifiedSplit(samples, { ratio: 0.7, seed: 5 });
    const count = (label: string | null, split: string) => samples.filter((x) => x.label === label && s.get(x.id) === split).length;
    assert.deepEqual([count('a', 'train'), count('a', 'val'), count(null, 'train'), count(null, 'val')], [71, 30, 5, 2]);
    assert.deepEqual([...stratifiedSplit([...samples].reverse(), { ratio: 0.7, seed: 5 })].sort((x, y) => x[0] - y[0]), [...s].sort((x, y) => x[0] - y[0]), 'input order does not matter');
    assert.notDeepEqual(stratifiedSplit(samples, { ratio: 0.7, seed: 6 }), s);
  });
  it('refuses ratios outside (0, 1)', () => {
    for (const ratio of [0, 1, -0.5, 1.5, Number.NaN]) assert.throws(() => stratifiedSplit(samples, { ratio, seed: 1 }), /between 0 and 1/);
  });
});
