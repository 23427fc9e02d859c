// The decode worker's read: a path that stopped being a regular file after the scan.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testing/temp';
import { decodeImage } from './decode-image';

describe('decodeImage reads only regular files', () => {
  const fifo = join(tempDir(), 'pipe.png');
  const made = spawnSync('mkfifo', [fifo]).status === 0;

  it('a FIFO put where an image was is reported, not waited on', { skip: !made && 'mkfifo is not available', timeout: 10_000 }, async () => {
    const res = await decodeImage({ relPath: 'pipe.png', absPath: fifo });
    assert.deepEqual(res, { relPath: 'pipe.png', ok: false, reason: 'not a regular file' });
  });

  it('a file that vanished is reported as such', async () => {
    const res = await decodeImage({ relPath: 'gone.png', absPath: join(tempDir(), 'gone.png') });
    assert.deepEqual(res, { relPath: 'gone.png', ok: false, reason: 'file disappeared during import' });
  });
});
