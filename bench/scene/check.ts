// Rendering check for the point-cloud engine: loads the harness in headless Chromium, draws
// known points in known colours and reads the pixels back from screenshots; drives lasso, box,
// hover, click, wheel and keys through real input events; checks that destroy() frees every
// WebGL object. Screenshots land in /tmp/scene-check-*.png. Exit code 1 on any failure.
//   npx tsx bench/scene/check.ts
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { call, openHarness } from './browser';
import type { KnownPoint, Rgb } from '../../src-renderer/scene/dev/harnessApi';
import { parseHex } from '../../src-renderer/scene/palette';
import { DIMMED_ALPHA, HOVER_RING_COLOR, LASSO_COLOR, MISSING_COLOR, SELECTION_RING_COLOR } from '../../src-renderer/scene/constants';

const failures: string[] = [];
function check(name: string, ok: boolean, detail = ''): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `  (${detail})` : ''}`);
  if (!ok) failures.push(name);
}

interface Shot {
  at(x: number, y: number): Rgb;
}

async function shot(page: Page, name: string): Promise<Shot> {
  const png = await page.screenshot({ path: `/tmp/scene-check-${name}.png` });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return {
    at: (x, y) => {
      const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

const near = (a: Rgb, b: Rgb, tol = 4) => a.every((v, i) => Math.abs(v - b[i]) <= tol);
const fmt = (c: Rgb) => `rgb(${c.join(',')})`;
const WHITE: Rgb = [255, 255, 255];

function checkColours(s: Shot, pts: KnownPoint[], label: string): void {
  for (const p of pts) {
    const got = s.at(p.sx, p.sy);
    check(`${label}: point ${p.id} drawn in its colour`, near(got, p.rgb), `got ${fmt(got)}, want ${fmt(p.rgb)}`);
  }
}

async function main(): Promise<void> {
  const { page, close } = await openHarness();
  try {
    await call(page, 'reset', { pointSize: 20, worker: false });

    // Colours.
    let pts = await call(page, 'showKnown', 'categorical');
    let s = await shot(page, 'categorical');
    checkColours(s, pts, 'categorical');
    check('background stays white', near(s.at(5, 5), WHITE), fmt(s.at(5, 5)));
    check('nothing between points', near(s.at((pts[0].sx + pts[2].sx) / 2, pts[0].sy), WHITE));
    check('points are round (corner of the square sprite is background)', near(s.at(pts[0].sx + 9, pts[0].sy + 9), WHITE));

    pts = await call(page, 'showKnown', 'continuous');
    s = await shot(page, 'continuous');
    checkColours(s, pts, 'continuous (viridis)');

    // Render on demand: no frames while nothing changes.
    const idle0 = (await call(page, 'stats')).frames;
    await page.waitForTimeout(300);
    check('no frames drawn while idle', (await call(page, 'stats')).frames === idle0);

    // Dim, select.
    pts = await call(page, 'showKnown', 'categorical');
    await call(page, 'dim', [1]);
    await call(page, 'select', [2]);
    s = await shot(page, 'dim-select');
    const dimBase = parseHex(MISSING_COLOR).map((g, i) => (pts[1].rgb[i] + g) / 2);
    const dimWant = dimBase.map((c) => Math.round(c * DIMMED_ALPHA + 255 * (1 - DIMMED_ALPHA))) as Rgb;
    check('dimmed point is faint', near(s.at(pts[1].sx, pts[1].sy), dimWant, 6), `got ${fmt(s.at(pts[1].sx, pts[1].sy))}, want ${fmt(dimWant)}`);
    check('selected point keeps its colour', near(s.at(pts[2].sx, pts[2].sy), pts[2].rgb));
    const ring = s.at(pts[2].sx + 10, pts[2].sy);
    check('selected point has a ring', near(ring, parseHex(SELECTION_RING_COLOR), 24), fmt(ring));
    check('unselected point has no ring', near(s.at(pts[0].sx + 11, pts[0].sy), WHITE));

    // Picking.
    check('pick finds the point under the cursor', (await call(page, 'pick', pts[3].sx + 3, pts[3].sy - 2)) === 3);
    check('pick on empty space is -1', (await call(page, 'pick', 5, 5)) === -1);
    check('dimmed points are not pickable', (await call(page, 'pick', pts[1].sx, pts[1].sy)) === -1);
    await call(page, 'dim', []);
    await call(page, 'select', []);

    // Highlight: the point of interest grows (20 px -> 42 px with its ring), the others recede (15 px).
    await call(page, 'highlight', [3]);
    s = await shot(page, 'highlight');
    check('highlighted point is larger', near(s.at(pts[3].sx + 18, pts[3].sy), pts[3].rgb), fmt(s.at(pts[3].sx + 18, pts[3].sy)));
    check('receded point is smaller', near(s.at(pts[0].sx + 9, pts[0].sy), WHITE), fmt(s.at(pts[0].sx + 9, pts[0].sy)));
    check('receded point is faint', !near(s.at(pts[0].sx, pts[0].sy), pts[0].rgb, 40) && !near(s.at(pts[0].sx, pts[0].sy), WHITE, 10), fmt(s.at(pts[0].sx, pts[0].sy)));
    check('a highlighted point is not pickable-blocked', (await call(page, 'pick', pts[3].sx, pts[3].sy)) === 3);
    await call(page, 'select', [3, 0]);
    s = await shot(page, 'highlight-select');
    check('a selected point of interest is ringed at its highlighted size', near(s.at(pts[3].sx + 20, pts[3].sy), parseHex(SELECTION_RING_COLOR), 24), fmt(s.at(pts[3].sx + 20, pts[3].sy)));
    check('a selected receded point is ringed at its normal size', near(s.at(pts[0].sx + 10, pts[0].sy), parseHex(SELECTION_RING_COLOR), 24), fmt(s.at(pts[0].sx + 10, pts[0].sy)));
    await call(page, 'select', []);
    await call(page, 'highlight', []);
    s = await shot(page, 'highlight-cleared');
    checkColours(s, pts, 'highlight cleared');

    // Hover and click through real pointer events.
    await page.mouse.move(pts[4].sx, pts[4].sy);
    await call(page, 'frame');
    let ev = await call(page, 'events');
    check('hover event names the point', ev.hovers.at(-1) === 4, JSON.stringify(ev.hovers));
    s = await shot(page, 'hover');
    const hoverRing = s.at(pts[4].sx + 12, pts[4].sy);
    check('hovered point is ringed', near(hoverRing, parseHex(HOVER_RING_COLOR), 24), fmt(hoverRing));
    const hover0 = (await call(page, 'stats')).frames;
    await page.mouse.move(pts[4].sx + 1, pts[4].sy + 1);
    await page.mouse.move(pts[4].sx - 1, pts[4].sy);
    await page.waitForTimeout(100);
    check('moving over the same point draws nothing new', (await call(page, 'stats')).frames === hover0);
    await page.mouse.click(pts[0].sx, pts[0].sy);
    await page.mouse.click(5, 5);
    ev = await call(page, 'events');
    check('click events name the point, then -1 on empty space', ev.clicks.join() === '0,-1', ev.clicks.join());

    // Lasso round points 1 (left) and 3 (top), then shift adds 2, alt+box subtracts 1.
    await call(page, 'setTool', 'lasso');
    let drawing: Shot | null = null;
    const lasso = async (path: Array<[number, number]>, capture = false) => {
      await page.mouse.move(path[0][0], path[0][1]);
      await page.mouse.down();
      for (const [x, y] of path.slice(1)) await page.mouse.move(x, y, { steps: 4 });
      if (capture) {
        await call(page, 'frame');
        drawing = await shot(page, 'lasso-drawing');
      }
      await page.mouse.up();
      await page.waitForTimeout(50);
    };
    const [p1, p2, p3] = [pts[1], pts[2], pts[3]];
    const around = (p: KnownPoint, r: number): Array<[number, number]> =>
      Array.from({ length: 13 }, (_, k) => [p.sx + r * Math.cos((k / 12) * 2 * Math.PI), p.sy + r * Math.sin((k / 12) * 2 * Math.PI)]);
    // The known points sit at the canvas edges (fit padding 24 px), so outlines stay within 18 px.
    await lasso([
      [p1.sx - 16, p1.sy - 16],
      [p3.sx + 18, p3.sy - 18],
      [p3.sx + 18, p3.sy + 18],
      [p1.sx + 16, p1.sy + 16],
      [p1.sx - 16, p1.sy + 16],
    ], true);
    // The outline is a one-pixel line: look for its colour near the middle of the top edge.
    const mid: [number, number] = [(p1.sx + p3.sx) / 2, (p1.sy - 16 + p3.sy - 18) / 2];
    let seen = false;
    for (let dx = -2; dx <= 2; dx++) for (let dy = -2; dy <= 2; dy++) seen ||= near(drawing!.at(mid[0] + dx, mid[1] + dy), parseHex(LASSO_COLOR), 40);
    check('the lasso outline is drawn while dragging', seen);
    ev = await call(page, 'events');
    check('lasso selects the points inside', ev.selects.at(-1)?.ids.join() === '1,3', JSON.stringify(ev.selects.at(-1)));
    await page.keyboard.down('Shift');
    await lasso(around(p2, 18));
    await page.keyboard.up('Shift');
    ev = await call(page, 'events');
    check('shift+lasso adds', ev.selects.at(-1)?.ids.join() === '1,2,3' && ev.selects.at(-1)?.mode === 'add', JSON.stringify(ev.selects.at(-1)));
    s = await shot(page, 'lasso');
    await call(page, 'setTool', 'box');
    await page.keyboard.down('Alt');
    await lasso([
      [p1.sx - 16, p1.sy - 16],
      [p1.sx + 16, p1.sy + 16],
    ]);
    await page.keyboard.up('Alt');
    ev = await call(page, 'events');
    check('alt+box subtracts', ev.selects.at(-1)?.ids.join() === '2,3' && ev.selects.at(-1)?.source === 'box', JSON.stringify(ev.selects.at(-1)));
    await call(page, 'setTool', 'lasso');
    // One move: the outline has two vertices.
    await page.mouse.move(100, 100);
    await page.mouse.down();
    await page.mouse.move(200, 150);
    await page.mouse.up();
    await page.waitForTimeout(50);
    ev = await call(page, 'events');
    check(
      'a two-point lasso selects nothing and says why, keeping the selection',
      ev.selects.at(-1)?.reason === 'too-few-points' && ev.selects.at(-1)?.ids.join() === '2,3',
      JSON.stringify(ev.selects.at(-1)),
    );
    await call(page, 'setTool', 'pan');

    // Wheel zoom keeps the point under the cursor; keys zoom and pan; drag pans.
    await page.mouse.move(p2.sx, p2.sy);
    await page.mouse.wheel(0, -300);
    await call(page, 'frame');
    const [zx, zy] = await call(page, 'screenOf', 2);
    check('wheel zoom keeps the point under the cursor', Math.hypot(zx - p2.sx, zy - p2.sy) < 1, `${zx.toFixed(1)},${zy.toFixed(1)}`);
    s = await shot(page, 'wheel');
    check('after zooming the point is still drawn there', near(s.at(p2.sx, p2.sy), p2.rgb));
    const before = await call(page, 'screenOf', 0);
    await page.mouse.move(400, 300);
    await page.mouse.down();
    await page.mouse.move(350, 340, { steps: 5 });
    await page.mouse.up();
    await call(page, 'frame');
    const after = await call(page, 'screenOf', 0);
    check('drag pans with the pointer', Math.abs(after[0] - before[0] + 50) < 1 && Math.abs(after[1] - before[1] - 40) < 1, `${after[0] - before[0]},${after[1] - before[1]}`);
    await page.keyboard.press('0');
    await page.waitForTimeout(400);
    await call(page, 'frame');
    const fitted = await call(page, 'screenOf', 0);
    check('key 0 fits all again', Math.hypot(fitted[0] - pts[0].sx, fitted[1] - pts[0].sy) < 1, fitted.join());
    await page.keyboard.press('ArrowRight');
    await call(page, 'frame');
    const arrow = await call(page, 'screenOf', 0);
    check('arrow key pans by a tenth of the view', Math.abs(arrow[0] - (fitted[0] - 80)) < 1, arrow.join());

    // Thumbnails: zoomed on points 0, 2 and 3, the sprites come from the provider's atlas.
    await call(page, 'reset', { pointSize: 10, worker: false });
    const dots = await call(page, 'showKnown', 'categorical');
    await call(page, 'select', [2]);
    const thumbs = await call(page, 'thumbnails', [0, 2, 3]);
    s = await shot(page, 'thumbnails');
    const sprites = (await call(page, 'stats')).sprites;
    // Points 0, 2 and 3, and point 4, whose sprite is half in view at the bottom edge (sprites
    // partly in view count).
    check('a sprite for each point in view', sprites === 4, `${sprites} sprites`);
    for (const k of [0, 2, 3]) {
      const t = thumbs[k];
      check(`sprite of point ${k} shows its thumbnail`, near(s.at(t.sx, t.sy), t.rgb, 3), `got ${fmt(s.at(t.sx, t.sy))}, want ${fmt(t.rgb)}`);
    }
    const t0 = thumbs[0];
    check('sprite covers its full size', near(s.at(t0.sx + 25, t0.sy - 25), t0.rgb, 3));
    check('selected sprite has a border', near(s.at(thumbs[2].sx + 27, thumbs[2].sy), parseHex(SELECTION_RING_COLOR), 24), fmt(s.at(thumbs[2].sx + 27, thumbs[2].sy)));
    check('unselected sprite keeps a rim in its point colour', near(s.at(t0.sx + 27, t0.sy), dots[0].rgb, 6), `${fmt(s.at(t0.sx + 27, t0.sy))} want ${fmt(dots[0].rgb)}`);
    check('pick on a sprite edge returns its point', (await call(page, 'pick', t0.sx + 25, t0.sy + 25)) === 0);

    // Every WebGL object the engine made is gone after destroy().
    const during = await call(page, 'gpuObjects');
    const left = await call(page, 'destroy');
    // three.js's WebGLState makes four 1x1 placeholder textures per renderer and never deletes
    // them (they go with the context); two engines were created on this canvas.
    check(
      'destroy() deletes every buffer, texture, program and vertex array',
      left.buffers === 0 && left.textures === 4 * 2 && left.programs === 0 && left.vertexArrays === 0 && left.shaders === 0,
      `live before ${JSON.stringify(during)}, after ${JSON.stringify(left)}`,
    );

    // Lasso in the worker (60,000 points is above the threshold) agrees with the main thread;
    // benchLasso throws if the two answers differ.
    await call(page, 'reset', { pointSize: 3 });
    const workers0 = await call(page, 'workersStarted');
    await call(page, 'benchFirstFrame', 60_000);
    const lw = await call(page, 'benchLasso', 1);
    check('the lasso worker starts and answers like the main thread', (await call(page, 'workersStarted')) === workers0 + 1 && lw.hits > 0, `${lw.hits} hits`);

    // A lost and restored WebGL context comes back with the same picture, background included.
    // Last, because objects of a lost context can no longer be deleted (or counted).
    await call(page, 'reset', { pointSize: 20, worker: false });
    pts = await call(page, 'showKnown', 'categorical');
    await call(page, 'select', [2]);
    await call(page, 'loseAndRestoreContext');
    s = await shot(page, 'restored');
    checkColours(s, pts, 'after context restore');
    check('after context restore: background white again', near(s.at(5, 5), WHITE), fmt(s.at(5, 5)));
    check('after context restore: selection ring back', near(s.at(pts[2].sx + 10, pts[2].sy), parseHex(SELECTION_RING_COLOR), 24));
  } finally {
    await close();
  }
  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('\nall scene checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
