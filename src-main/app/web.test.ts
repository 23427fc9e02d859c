// Browser mode's start-up failures: one line that says what to do, exit code 1, no stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { tempDir } from '../testing/temp';
import { parseWebArgs } from './web-args';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runWeb(args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/app/web.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, stderr: res.stderr.trim(), stdout: res.stdout };
}

function assertOneLine(r: ReturnType<typeof runWeb>, pattern: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.split('\n').length, 1, `more than one line:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

it('refuses bad ports, short or odd tokens and unknown flags before starting anything', () => {
  for (const port of ['abc', '-1', '65536', '80x', '1e3', '']) {
    const p = parseWebArgs([`--port=${port}`]);
    assert.ok(!p.ok && /--port must be a number from 0 to 65535/.test(p.message), port);
  }
  const short = parseWebArgs(['--token', 'abc']);
  assert.ok(!short.ok && /--token: .*at least 16 characters/.test(short.message));
  const odd = parseWebArgs(['--token', 'a'.repeat(16) + ' x']);
  assert.ok(!odd.ok && /only letters, digits/.test(odd.message));
  const unknown = parseWebArgs(['--prot', '1']);
  assert.ok(!unknown.ok && /--prot/.test(unknown.message) && /usage:/.test(unknown.message));
  const good = parseWebArgs(['--port', '8080', '--token', 'x'.repeat(16)]);
  assert.ok(good.ok && good.args.port === 8080);
});

it('says so in one line when the port is taken', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    assertOneLine(runWeb(['--port', String(port), '--static', tempDir()]), new RegExp(`^winnow: port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    blocker.close();
  }
});

it('says so in one line when --port or --token is wrong', () => {
  assertOneLine(runWeb(['--port', 'eighty']), /^winnow: --port must be a number/);
  assertOneLine(runWeb(['--token', 'short']), /^winnow: --token: the access token must be at least 16 characters/);
});
