import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataToScreen } from './camera';
import { FIT_PADDING_PX } from './constants';
import { ViewControl } from './viewControl';

// A layout that fills a 1000 × 600 canvas's shape, so the legend's strip costs it room.
const x = Float32Array.from([0, 100, 0, 100, 50]);
const y = Float32Array.from([0, 0, 60, 60, 30]);
const legend = { x: 10, y: 10, width: 150, height: 90 };

function fitted(): ViewControl {
  const v = new ViewControl();
  v.setSize(1000, 600, 1);
  v.setLayout(x, y, true);
  assert.equal(v.fitIfReady(true), true);
  return v;
}

function underLegend(v: ViewControl): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const [sx, sy] = dataToScreen(v.get(), v.viewport(), x[i]!, y[i]!);
    if (sx < legend.x + legend.width + FIT_PADDING_PX - 1e-6 && sy < legend.y + legend.height + FIT_PADDING_PX - 1e-6) out.push(i);
  }
  return out;
}

test('a fitted view fits again clear of the legend when the legend appears, and back when it goes', () => {
  const v = fitted();
  const plain = v.get();
  assert.deepEqual(underLegend(v), [2], 'the plain fit puts the top-left point under the legend');
  assert.equal(v.setCovered(legend), true);
  assert.deepEqual(underLegend(v), []);
  assert.ok(v.get().scale < plain.scale);
  assert.equal(v.setCovered({ ...legend }), false, 'the same box again changes nothing');
  assert.equal(v.setCovered(null), true);
  assert.deepEqual(v.get(), plain);
});

test('a view the user moved stays where it is when the legend changes; the next fit keeps clear of it', () => {
  const v = fitted();
  v.panBy(30, 0);
  const moved = v.get();
  assert.equal(v.setCovered(legend), false);
  assert.deepEqual(v.get(), moved);
  assert.equal(v.fitAll(), true);
  assert.deepEqual(underLegend(v), []);
  // A zoom to points keeps clear of it too.
  v.zoomToPoints(x, y, [2, 3]);
  const [sx, sy] = dataToScreen(v.get(), v.viewport(), x[2]!, y[2]!);
  assert.ok(sx >= legend.x + legend.width || sy >= legend.y + legend.height, `point 2 at ${sx},${sy} under the legend`);
});
