import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PointCloud } from '../scene';
import { useApp } from './app-store';
import { mergeChanged } from './edit-columns';
import { useMap } from './map-store';
import { feedPointCloud } from './scene-feed';

/** Records which engine calls the feed makes. */
function recorder(): { cloud: PointCloud; calls: string[]; args: Record<string, unknown[]> } {
  const calls: string[] = [];
  const args: Record<string, unknown[]> = {};
  const record = (name: string) => (...a: unknown[]) => { calls.push(name); args[name] = a; };
  const cloud = {
    setPoints: record('setPoints'), updatePositions: record('updatePositions'), fitAll: record('fitAll'),
    setColorColumn: record('setColorColumn'), setHighlight: record('setHighlight'), setDimmed: record('setDimmed'), setSelection: record('setSelection'),
    setPointSize: record('setPointSize'), setTool: record('setTool'),
  } as unknown as PointCloud;
  return { cloud, calls, args };
}

it('re-sends a column only when the store column it comes from changed', () => {
  const ids = Int32Array.of(1, 2, 3);
  useApp.setState({ columns: { ids: Int32Array.of(1, 2, 3), labels: Uint16Array.of(0, 0, 1), labelNames: ['a', 'b'], flags: new Uint8Array(3) } });
  useMap.setState({ map: { mapId: 1, setId: 1, createdAt: '', ids, x: new Float32Array(3), y: new Float32Array(3) }, colorBy: 'label', selection: new Uint32Array(0), queryIds: null });
  const { cloud, calls } = recorder();
  const stop = feedPointCloud(cloud);
  assert.deepEqual(calls, ['setPoints', 'fitAll', 'setColorColumn', 'setDimmed', 'setSelection', 'setPointSize', 'setTool']);

  // A layout progress event: new positions, a fresh copy of the same ids.
  calls.length = 0;
  useMap.setState({ map: { mapId: 1, setId: 1, createdAt: '', ids: ids.slice(), x: new Float32Array(3).fill(1), y: new Float32Array(3) }, progress: { epoch: 1, total: 9 } });
  assert.deepEqual(calls, ['updatePositions']);

  // A relabel: the colour column again, nothing else.
  calls.length = 0;
  const { columns } = useApp.getState();
  useApp.setState({ columns: mergeChanged(columns!, { ids: Int32Array.of(2), labels: Uint16Array.of(0), labelNames: ['b'], flags: Uint8Array.of(2) }) });
  assert.deepEqual(calls, ['setColorColumn']);

  // Unrelated state: nothing.
  calls.length = 0;
  useApp.setState({ toast: 'hello' });
  useMap.setState({ reviewOpen: true });
  assert.deepEqual(calls, []);

  // Another point set: everything again.
  calls.length = 0;
  useMap.setState({ map: { mapId: 2, setId: 1, createdAt: '', ids: Int32Array.of(1, 3), x: new Float32Array(2), y: new Float32Array(2) } });
  assert.deepEqual(calls, ['setPoints', 'fitAll', 'setColorColumn', 'setDimmed', 'setSelection']);
  stop();
  calls.length = 0;
  useMap.setState({ pointSize: 9 });
  assert.deepEqual(calls, [], 'stopped');
});

it('a highlight mode sends the highlight with the colours and publishes the legend; leaving it clears the highlight once', () => {
  const ids = Int32Array.of(1, 2, 3);
  useApp.setState({ columns: { ids: Int32Array.of(1, 2, 3), labels: Uint16Array.of(0, 0, 1), labelNames: ['a', 'b'], flags: new Uint8Array(3) } });
  useMap.setState({ map: { mapId: 1, setId: 1, createdAt: '', ids, x: new Float32Array(3), y: new Float32Array(3) }, colorBy: 'label', selection: new Uint32Array(0), queryIds: null, legend: null });
  const { cloud, calls, args } = recorder();
  const stop = feedPointCloud(cloud);
  assert.ok(!calls.includes('setHighlight'), 'no highlight in label mode');
  assert.deepEqual(useMap.getState().legend?.title, 'label');

  calls.length = 0;
  useMap.setState({ colorBy: 'relabelled' });
  assert.deepEqual(calls, ['setColorColumn', 'setHighlight']);
  assert.deepEqual([...(args.setHighlight![0] as Uint8Array)], [0, 0, 0]);

  // Relabel sample 2 through the edit path: colours and highlight again, and the legend counts it.
  calls.length = 0;
  const { columns } = useApp.getState();
  useApp.setState({ columns: mergeChanged(columns!, { ids: Int32Array.of(2), labels: Uint16Array.of(1), labelNames: ['a', 'b'], flags: Uint8Array.of(2) }) });
  assert.deepEqual(calls, ['setColorColumn', 'setHighlight']);
  assert.deepEqual([...(args.setHighlight![0] as Uint8Array)], [0, 1, 0]);
  const legend = useMap.getState().legend!;
  assert.equal(legend.kind, 'categorical');
  assert.deepEqual(legend.kind === 'categorical' && legend.entries.map((e) => [e.name, e.count]), [['relabelled', 1], ['unchanged', 2]]);

  calls.length = 0;
  useMap.setState({ colorBy: 'label' });
  assert.deepEqual(calls, ['setColorColumn', 'setHighlight']);
  assert.equal(args.setHighlight![0], null);
  calls.length = 0;
  useApp.setState({ columns: mergeChanged(useApp.getState().columns!, { ids: Int32Array.of(3), labels: Uint16Array.of(0), labelNames: ['a', 'b'], flags: Uint8Array.of(2) }) });
  assert.deepEqual(calls, ['setColorColumn'], 'no highlight to clear again');
  stop();
});
