import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundsOf, dataToScreen, fitClearOf, fitRect, lerpView, panBy, screenToData, visibleRect, wheelPixels, zoomAt } from './camera';

const vp = { width: 800, height: 600 };
const free = { minScale: 1e-9, maxScale: 1e9 };
const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

test('screen and data coordinates are inverse, y up in data and down on screen', () => {
  const v = { cx: 3, cy: -2, scale: 40 };
  assert.deepEqual(screenToData(v, vp, 400, 300), [3, -2]);
  const [x, y] = screenToData(v, vp, 440, 260);
  assert.deepEqual([x, y], [4, -1]);
  const [sx, sy] = dataToScreen(v, vp, x, y);
  close(sx, 440);
  close(sy, 260);
});

test('zoomAt keeps the data point under the cursor fixed', () => {
  const v = { cx: 0, cy: 0, scale: 10 };
  const before = screenToData(v, vp, 123, 456);
  const z = zoomAt(v, vp, 123, 456, 2.5, free);
  assert.equal(z.scale, 25);
  const after = screenToData(z, vp, 123, 456);
  close(after[0], before[0]);
  close(after[1], before[1]);
});

test('zoomAt clamps the scale to the limits and still pins the cursor point', () => {
  const v = { cx: 1, cy: 1, scale: 10 };
  const z = zoomAt(v, vp, 100, 100, 1000, { minScale: 1, maxScale: 50 });
  assert.equal(z.scale, 50);
  const a = screenToData(v, vp, 100, 100);
  const b = screenToData(z, vp, 100, 100);
  close(a[0], b[0]);
  close(a[1], b[1]);
});

test('panBy moves content with the drag', () => {
  const v = { cx: 0, cy: 0, scale: 10 };
  const p = panBy(v, 50, -20);
  // The data point that was at the centre is now 50 px right and 20 px up of it.
  const [sx, sy] = dataToScreen(p, vp, 0, 0);
  close(sx, 450);
  close(sy, 280);
});

test('fitRect shows the whole rectangle with padding, limited by the tighter axis', () => {
  const v = fitRect({ minX: 0, minY: 0, maxX: 10, maxY: 2 }, vp, 20);
  assert.equal(v.cx, 5);
  assert.equal(v.cy, 1);
  assert.equal(v.scale, 76); // (800 - 40) / 10
  const r = visibleRect(v, vp);
  assert.ok(r.minX <= 0 && r.maxX >= 10 && r.minY <= 0 && r.maxY >= 2);
  const degenerate = fitRect({ minX: 5, minY: 5, maxX: 5, maxY: 5 }, vp, 20);
  assert.equal(degenerate.cx, 5);
  assert.ok(Number.isFinite(degenerate.scale) && degenerate.scale > 0);
  const flat = fitRect({ minX: 0, minY: 3, maxX: 4, maxY: 3 }, vp, 0);
  assert.equal(flat.scale, 200);
});

test('fitClearOf keeps every point clear of the legend, giving up the side the layout had to spare', () => {
  const legend = { x: 10, y: 10, width: 150, height: 90 };
  const clear = (r: { minX: number; minY: number; maxX: number; maxY: number }, v: ReturnType<typeof fitRect>, pad: number) => {
    for (const x of [r.minX, r.maxX]) for (const y of [r.minY, r.maxY]) {
      const [sx, sy] = dataToScreen(v, vp, x, y);
      assert.ok(sx >= pad - 1e-9 && sx <= vp.width - pad + 1e-9 && sy >= pad - 1e-9 && sy <= vp.height - pad + 1e-9, `corner ${x},${y} at ${sx},${sy} inside the padding`);
      assert.ok(sx >= legend.x + legend.width + pad - 1e-9 || sy >= legend.y + legend.height + pad - 1e-9, `corner ${x},${y} at ${sx},${sy} under the legend`);
    }
  };
  // A wide layout has height to spare: it moves down, at the plain fit's scale.
  const wide = { minX: 0, minY: 0, maxX: 10, maxY: 2 };
  const w = fitClearOf(wide, vp, 20, legend);
  assert.equal(w.scale, fitRect(wide, vp, 20).scale);
  clear(wide, w, 20);
  // A tall one has width to spare: it moves right, at the plain fit's scale.
  const tall = { minX: 0, minY: 0, maxX: 2, maxY: 10 };
  const t = fitClearOf(tall, vp, 20, legend);
  assert.equal(t.scale, fitRect(tall, vp, 20).scale);
  clear(tall, t, 20);
  // One that fills the canvas gives up the cheaper strip, and nothing lands under the box.
  const full = { minX: 0, minY: 0, maxX: vp.width, maxY: vp.height };
  const f = fitClearOf(full, vp, 20, legend);
  assert.ok(f.scale < fitRect(full, vp, 20).scale);
  assert.equal(f.scale, Math.max((vp.width - 40 - 160) / vp.width, (vp.height - 40 - 100) / vp.height));
  clear(full, f, 20);
  // Without a box, or with one off the canvas, it is fitRect.
  assert.deepEqual(fitClearOf(full, vp, 20, null), fitRect(full, vp, 20));
  assert.deepEqual(fitClearOf(full, vp, 20, { x: vp.width + 5, y: 0, width: 50, height: 50 }), fitRect(full, vp, 20));
});

test('boundsOf skips unplaced points and honours an id subset', () => {
  const x = new Float32Array([0, NaN, 5, -1, Infinity]);
  const y = new Float32Array([0, 100, 2, 3, 0]);
  assert.deepEqual(boundsOf(x, y), { minX: -1, minY: 0, maxX: 5, maxY: 3 });
  assert.deepEqual(boundsOf(x, y, [0, 2]), { minX: 0, minY: 0, maxX: 5, maxY: 2 });
  assert.equal(boundsOf(x, y, [1]), null);
});

test('lerpView interpolates zoom in log space and ends exactly at the target', () => {
  const a = { cx: 0, cy: 0, scale: 1 };
  const b = { cx: 10, cy: -10, scale: 100 };
  assert.deepEqual(lerpView(a, b, 1), b);
  assert.deepEqual(lerpView(a, b, 0), a);
  close(lerpView(a, b, 0.5).scale, 10);
});

test('wheelPixels converts line and page deltas', () => {
  assert.equal(wheelPixels(3, 0, 600), 3);
  assert.equal(wheelPixels(3, 1, 600), 48);
  assert.equal(wheelPixels(1, 2, 600), 600);
});
