// The CLI prints names it did not choose (files, folders, labels files): none of them may
// drive the terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { writeSamplePng } from '../testing/fixture-images';
import { tempDir } from '../testing/temp';

const CLI = fileURLToPath(new URL('../../bin/winnow.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
// Anything a terminal acts on, other than the report's own line breaks.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('CLI output of hostile names', async () => {
  const dir = tempDir();
  const root = join(dir, 'data');
  mkdirSync(join(root, 'ok'), { recursive: true });
  await writeSamplePng(join(root, 'ok', 'a.png'), 'circle', 1);
  const evil = 'evil\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202egnp.png';
  writeFileSync(join(root, 'ok', evil), '');

  it('escapes control characters in the human report', () => {
    const res = run('import', root, '--project', join(dir, 'h.winnow'));
    assert.equal(res.status, 0, res.stderr);
    assert.doesNotMatch(res.stdout, RAW_CONTROL);
    assert.match(res.stdout, /evil\\x1b\]0;pwned\\x07\\x1b\[2J\\x9b31m\\u202egnp\.png: file is empty/);
  });

  it('keeps --json valid, with every such character as a \\u escape', () => {
    const res = run('import', root, '--project', join(dir, 'j.winnow'), '--json');
    assert.equal(res.status, 0, res.stderr);
    assert.doesNotMatch(res.stdout, RAW_CONTROL);
    const doc = JSON.parse(res.stdout) as { failed: Array<{ path: string }> };
    assert.deepEqual(doc.failed.map((f) => f.path), [`ok/${evil}`]);
  });

  it('escapes them in the one-line error too', () => {
    const res = run('import', join(dir, 'missing\u001b[31m'), '--project', join(dir, 'e.winnow'));
    assert.notEqual(res.status, 0);
    assert.doesNotMatch(res.stderr, RAW_CONTROL);
    assert.match(res.stderr, /missing\\x1b\[31m/);
  });
});
