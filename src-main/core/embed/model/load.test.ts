import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ModelError } from './errors';
import { gpuCandidates, loadModel } from './load';
import { fixtureSpec, imageFixture } from '../../../testing/model-fixtures';

/** Whether this onnxruntime-node install carries the CUDA provider library (skipped here by ONNXRUNTIME_NODE_INSTALL=skip). */
function cudaInstalled(): boolean {
  const bin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin');
  const walk = (d: string): boolean => existsSync(d) && readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? walk(join(d, e.name)) : /providers_cuda/.test(e.name)));
  return walk(bin);
}

test('asking for CUDA without its provider library falls back to the CPU with the reason', { skip: cudaInstalled() && 'CUDA provider installed' }, async () => {
  const m = await loadModel(imageFixture(), fixtureSpec(), { device: 'cuda' });
  try {
    assert.equal(m.provider, 'cpu');
    assert.match(m.fallbackReason ?? '', /^using the CPU: the GPU provider did not load \(cuda: .+\)$/);
  } finally {
    await m.session.release();
  }
});

test('a provider this platform lacks falls back to the CPU with the reason', { skip: process.platform === 'win32' }, async () => {
  const m = await loadModel(imageFixture(), fixtureSpec(), { device: 'dml', threads: 1 });
  try {
    assert.equal(m.provider, 'cpu');
    assert.match(m.fallbackReason ?? '', /dml: .*backend not found/);
  } finally {
    await m.session.release();
  }
});

test('device cpu loads on the CPU with no fallback reason', async () => {
  const m = await loadModel(imageFixture(), fixtureSpec(), { device: 'cpu' });
  assert.equal(m.provider, 'cpu');
  assert.equal(m.fallbackReason, undefined);
  assert.equal(m.io.output.name, 'mean');
  await m.session.release();
});

test('auto tries the GPU providers each platform can have', () => {
  assert.deepEqual(gpuCandidates('auto', 'linux'), ['cuda']);
  assert.deepEqual(gpuCandidates('auto', 'win32'), ['cuda', 'dml']);
  assert.deepEqual(gpuCandidates('auto', 'darwin'), ['coreml']);
  assert.deepEqual(gpuCandidates('auto', 'freebsd'), []);
  assert.deepEqual(gpuCandidates('cpu', 'linux'), []);
  assert.deepEqual(gpuCandidates('coreml', 'linux'), ['coreml']);
});

test('loading checks the model against the spec', async () => {
  await assert.rejects(loadModel(imageFixture(), fixtureSpec({ outputName: 'nope' }), { device: 'cpu' }), (e: unknown) => e instanceof ModelError && e.code === 'missing-output');
});
