// labels.* through the contract over the in-memory pair (the binary codec the WebSocket uses):
// ids go out as an Int32Array, the changed rows come back as binary columns.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contract, type Contract, type Events } from '../../../src-shared/contract';
import { FLAG_RELABELLED } from '../../../src-shared/model/sample';
import { createClient } from '../../../src-shared/rpc/client';
import type { RpcError } from '../../../src-shared/rpc/errors';
import { createMemoryPair } from '../../../src-shared/rpc/memory-transport';
import type { JobFinished } from '../../../src-shared/model/job';
import { composeApp } from '../compose';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';

describe('labels over the contract', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 3 });
  const { core, dispatcher } = composeApp({ transport: 'memory' });
  const [server, clientSide] = createMemoryPair();
  dispatcher.attach(server);
  const api = createClient<Contract, Events>(contract, clientSide);
  await api.call('project.create', { path: join(dir, 'l.winnow') });
  const finished = new Promise<JobFinished>((resolve) => api.on('job.finished', resolve));
  await api.call('dataset.import', { source: { kind: 'folder', path: fixture.root } });
  assert.equal((await finished).state, 'done');
  const cols = await api.call('samples.columns', {});

  it('relabels ids sent as an Int32Array and returns the changed rows as binary columns', async () => {
    const pick = Int32Array.of(cols.ids[4]!, cols.ids[1]!);
    const res = await api.call('labels.set', { ids: pick, label: 'zigzag' });
    assert.ok(res.changed.ids instanceof Int32Array && res.changed.labels instanceof Uint16Array && res.changed.flags instanceof Uint8Array);
    assert.deepEqual([...res.changed.ids], [cols.ids[1]!, cols.ids[4]!]);
    assert.deepEqual(Array.from(res.changed.labels, (c) => res.changed.labelNames[c]), ['zigzag', 'zigzag']);
    assert.deepEqual([...res.changed.flags], [FLAG_RELABELLED, FLAG_RELABELLED]);
    assert.equal((await api.call('samples.get', { id: cols.ids[4]! })).label, 'zigzag');
    const back = await api.call('labels.undo', {});
    assert.deepEqual([...back.changed.flags], [0, 0]);
  });

  it('still takes a plain array (CLI, scripts) and refuses empty or negative ids', async () => {
    const res = await api.call('labels.exclude', { ids: [cols.ids[0]!], excluded: true });
    assert.deepEqual([...res.changed.ids], [cols.ids[0]!]);
    await assert.rejects(api.call('labels.set', { ids: new Int32Array(0), label: 'x' }), (e: RpcError) => e.code === 'bad_request' && /at least one/.test(e.message));
    await assert.rejects(api.call('labels.set', { ids: Int32Array.of(-1), label: 'x' }), (e: RpcError) => e.code === 'bad_request' && /non-negative/.test(e.message));
  });

  it('closes', async () => { await core.closeProject(); });
});
