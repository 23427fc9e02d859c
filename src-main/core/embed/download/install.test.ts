import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RpcError } from '../../../../src-shared/rpc/errors';
import { tempDir } from '../../../testing/temp';
import { resolveModel } from '../model-source';
import { ModelError, parseModelSpec } from '../model';
import { fixtureSpec, imageFixture } from '../../../testing/model-fixtures';
import { defaultModelsDir, installModel, listModels } from './install';
import { KNOWN_MODELS, type KnownModel } from './known-models';
import { sha256, startServer } from './test-server';

const onnx = readFileSync(imageFixture());

describe('installModel', async () => {
  const server = await startServer({ '/tiny.onnx': { body: onnx } });
  const tiny: KnownModel = {
    id: 'tiny', name: 'Tiny test encoder', url: server.url('/tiny.onnx'), sha256: sha256(onnx), sizeBytes: onnx.length,
    license: 'MIT', homepage: 'https://example.invalid', spec: fixtureSpec({ name: 'tiny' }),
  };
  const catalogue = [tiny];

  it('downloads a catalogue model as <id>.onnx + <id>.json, which resolveModel takes as is', async () => {
    const dir = join(tempDir(), 'models'); // created on demand
    const r = await installModel('tiny', dir, { catalogue });
    assert.deepEqual(r, {
      id: 'tiny', onnxPath: join(dir, 'tiny.onnx'), specPath: join(dir, 'tiny.json'),
      bytes: onnx.length, sha256: sha256(onnx), resumedFrom: 0, alreadyInstalled: false,
    });
    assert.ok(readFileSync(r.onnxPath).equals(onnx));
    assert.deepEqual(parseModelSpec(JSON.parse(readFileSync(r.specPath, 'utf8'))), tiny.spec);
    const source = resolveModel(r.onnxPath);
    assert.equal(source.sha256, sha256(onnx));
    assert.equal(source.name, 'tiny');

    const before = server.requests.length;
    const again = await installModel('tiny', dir, { catalogue });
    assert.equal(again.alreadyInstalled, true);
    assert.equal(server.requests.length, before, 'an installed model is not fetched again');
  });

  it('installs a model given by URL, hash and spec, named after the spec', async () => {
    const dir = tempDir();
    const r = await installModel({ url: tiny.url, sha256: tiny.sha256, spec: fixtureSpec({ name: 'my-encoder' }) }, dir);
    assert.equal(r.onnxPath, join(dir, 'my-encoder.onnx'));
    assert.ok(existsSync(join(dir, 'my-encoder.json')));
  });

  it('checks the model against its spec and writes no spec when they disagree', async () => {
    const dir = tempDir();
    const spec = fixtureSpec({ name: 'wrong', outputName: 'logits' });
    await assert.rejects(installModel({ url: tiny.url, sha256: tiny.sha256, spec }, dir), (err: unknown) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.code, 'missing-output');
      return true;
    });
    assert.ok(existsSync(join(dir, 'wrong.onnx')), 'the verified download is kept');
    assert.equal(existsSync(join(dir, 'wrong.json')), false);
  });

  it('rejects unknown ids, bad names and bad hashes before any request', async () => {
    const dir = tempDir();
    const before = server.requests.length;
    await assert.rejects(installModel('nope', dir, { catalogue }), (e: unknown) => e instanceof RpcError && e.code === 'not_found' && /known models: tiny/.test(e.message));
    await assert.rejects(installModel({ id: '../evil', url: tiny.url, sha256: tiny.sha256, spec: tiny.spec }, dir), /cannot name a model file/);
    await assert.rejects(installModel({ url: tiny.url, sha256: 'abc', spec: tiny.spec }, dir), /not a SHA-256/);
    await assert.rejects(installModel({ url: tiny.url, sha256: tiny.sha256, spec: { ...tiny.spec, pooling: 'max' as 'cls' } }, dir), /invalid model spec/);
    assert.equal(server.requests.length, before);
  });

  it('never overwrites a different file that has the model\'s name', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tiny.onnx'), 'someone else\'s model');
    await assert.rejects(installModel('tiny', dir, { catalogue }), (e: unknown) => e instanceof RpcError && e.code === 'conflict');
    assert.equal(readFileSync(join(dir, 'tiny.onnx'), 'utf8'), 'someone else\'s model');
  });
});

describe('listModels', () => {
  const entry = (id: string): KnownModel => ({ ...KNOWN_MODELS[0]!, id, sizeBytes: 10 });

  it('reports catalogue models as installed, partial or absent, and lists hand-added models', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.onnx'), Buffer.alloc(10));
    writeFileSync(join(dir, 'a.json'), '{}');
    writeFileSync(join(dir, 'b.onnx.part'), Buffer.alloc(4));
    writeFileSync(join(dir, 'mine.onnx'), 'x');
    writeFileSync(join(dir, 'mine.json'), '{}');
    writeFileSync(join(dir, 'lonely.onnx'), 'no spec beside it');
    const list = await listModels(dir, [entry('a'), entry('b'), entry('c')]);
    assert.equal(list.modelsDir, dir);
    assert.deepEqual(list.known.map((m) => [m.id, m.state, m.partialBytes]), [['a', 'installed', undefined], ['b', 'partial', 4], ['c', 'absent', undefined]]);
    assert.deepEqual(list.others, [{ id: 'mine', path: join(dir, 'mine.onnx') }]);
  });

  it('treats a missing folder as nothing installed', async () => {
    const list = await listModels(join(tempDir(), 'nothing'), [entry('a')]);
    assert.equal(list.known[0]!.state, 'absent');
    assert.deepEqual(list.others, []);
  });
});

describe('defaultModelsDir', () => {
  it('is ~/.winnow/models unless WINNOW_MODELS_DIR says otherwise', () => {
    assert.equal(defaultModelsDir({}), join(homedir(), '.winnow', 'models'));
    assert.equal(defaultModelsDir({ WINNOW_MODELS_DIR: '/data/models' }), '/data/models');
  });
});

describe('KNOWN_MODELS', () => {
  it('pins every entry to one https file of a Hugging Face commit, with a hash, a size and a valid spec', () => {
    const ids = new Set<string>();
    for (const m of KNOWN_MODELS) {
      assert.match(m.id, /^[a-z0-9][a-z0-9.-]*$/);
      assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
      ids.add(m.id);
      assert.match(m.url, /^https:\/\/huggingface\.co\/[\w.-]+\/[\w.-]+\/resolve\/[0-9a-f]{40}\/[\w./-]+\.onnx$/);
      assert.match(m.sha256, /^[0-9a-f]{64}$/);
      assert.ok(Number.isInteger(m.sizeBytes) && m.sizeBytes > 1_000_000);
      assert.deepEqual(parseModelSpec(m.spec), m.spec);
      assert.equal(m.spec.inputName, 'pixel_values');
    }
    assert.ok(ids.size >= 1);
  });
});
