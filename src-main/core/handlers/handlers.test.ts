// The real Winnow contract, dispatched over the in-memory transport pair: what the renderer does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contract, type Contract, type Events } from '../../../src-shared/contract';
import { createClient } from '../../../src-shared/rpc/client';
import { createMemoryPair } from '../../../src-shared/rpc/memory-transport';
import type { RpcError } from '../../../src-shared/rpc/errors';
import type { JobFinished } from '../../../src-shared/model/job';
import { composeApp } from '../compose';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';

describe('Winnow contract handlers', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 5, bad: true });
  const { core, dispatcher } = composeApp({ transport: 'memory' });
  const [server, clientSide] = createMemoryPair();
  dispatcher.attach(server);
  const api = createClient<Contract, Events>(contract, clientSide);

  it('needs a project before dataset calls', async () => {
    await assert.rejects(api.call('dataset.overview', {}), (e: RpcError) => e.code === 'no_project');
  });

  it('refuses to embed a project with no samples, and creates no embedding set', async () => {
    await api.call('project.create', { path: join(dir, 'empty.winnow') });
    await assert.rejects(api.call('embed.start', {}), (e: RpcError) => e.code === 'precondition' && /Import images first/.test(e.message));
    assert.deepEqual((await api.call('embed.status', {})).sets, []);
  });

  it('creates a project, imports with progress events, and serves columns, samples and thumbnails', async () => {
    const created = await api.call('project.create', { path: join(dir, 'ui.winnow') });
    assert.equal(created.overview.total, 0);
    const progress: number[] = [];
    api.on('job.progress', (p) => progress.push(p.done));
    const finished = new Promise<JobFinished>((resolve) => api.on('job.finished', resolve));
    const { jobId } = await api.call('dataset.import', { source: { kind: 'folder', path: fixture.root } });
    const end = await finished;
    assert.equal(end.jobId, jobId);
    assert.equal(end.state, 'done');
    assert.ok(progress.length > 0);
    const cols = await api.call('samples.columns', {});
    assert.ok(cols.ids instanceof Int32Array && cols.labels instanceof Uint16Array);
    assert.equal(cols.ids.length, 15);
    assert.deepEqual([...cols.labelNames].sort(), ['circle', 'square', 'stripes']);
    const sample = await api.call('samples.get', { id: cols.ids[0]! });
    assert.equal(sample.label, cols.labelNames[cols.labels[0]!]);
    const image = await api.call('samples.image', { id: cols.ids[0]! });
    assert.equal(image.format, 'png');
    assert.deepEqual([...image.data.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const thumbs = await api.call('samples.thumbnails', { ids: [cols.ids[0]!, 999999] });
    assert.equal(thumbs.items[0]?.format, 'png');
    assert.equal(thumbs.items[1], null);
    const job = await api.call('jobs.get', { jobId });
    assert.equal(job.state, 'done');
  });

  it('returns typed errors for bad calls', async () => {
    await assert.rejects(api.call('samples.get', { id: -1 }), (e: RpcError) => e.code === 'bad_request');
    await assert.rejects(api.call('samples.get', { id: 424242 }), (e: RpcError) => e.code === 'not_found');
    await assert.rejects(api.call('project.open', { path: join(dir, 'data', 'circle', 'notes.png') }), (e: RpcError) => e.code === 'not_a_project');
  });

  it('closes the project', async () => {
    assert.deepEqual(await api.call('project.close', {}), { closed: true });
    assert.equal(await api.call('project.current', {}), null);
    await core.closeProject();
  });
});
