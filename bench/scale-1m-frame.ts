// The renderer's first frame from a big project (made by bench/scale-1m.ts --dir DIR): the
// browser-mode server opened on the project, the built renderer in Debian's Chromium (WebGL2
// on SwiftShader, so the GPU is emulated on the CPU and the draw itself is slow), timed from
// navigation to the map canvas showing points.
//
//   npx vite build --config vite.web.config.mts
//   npx tsx bench/scale-1m-frame.ts --project DIR/scale.winnow [--static dist/renderer] [--no-write]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { project: { type: 'string' }, static: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });
if (!values.project) throw new Error('--project FILE is needed (a project made by bench/scale-1m.ts --dir DIR)');
const ROOT = fileURLToPath(new URL('../', import.meta.url));

const t0 = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/app/web.ts', '--project', values.project, ...(values.static ? ['--static', values.static] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
const url = await new Promise<string>((resolve, reject) => {
  const onData = (b: Buffer) => {
    log += b.toString();
    const m = /running in browser mode at (\S+)/.exec(log);
    if (m) resolve(m[1]!);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code) => reject(new Error(`web server exited (${code}):\n${log}`)));
});
const serverMs = performance.now() - t0;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const t1 = performance.now();
  await page.goto(url);
  await page.getByTestId('total-count').waitFor({ state: 'visible', timeout: 300_000 });
  const countMs = performance.now() - t1;
  // The grid is the first view; the map is one click away.
  await page.getByRole('tab', { name: 'Map' }).click();
  const canvas = page.getByTestId('map-canvas');
  await canvas.waitFor({ state: 'visible', timeout: 300_000 });
  const canvasMs = performance.now() - t1;
  // Drawn = the canvas holds many pixels that differ from its corner (the background).
  let drawnMs = NaN;
  let coloured = 0;
  for (let i = 0; i < 600; i++) {
    const png = await canvas.screenshot();
    const { default: sharp } = await import('sharp');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const bg = [data[0]!, data[1]!, data[2]!];
    coloured = 0;
    for (let p = 0; p < data.length; p += info.channels) if (Math.abs(data[p]! - bg[0]!) + Math.abs(data[p + 1]! - bg[1]!) + Math.abs(data[p + 2]! - bg[2]!) > 30) coloured++;
    if (coloured > 2000) { drawnMs = performance.now() - t1; break; }
    await page.waitForTimeout(250);
  }
  const count = await page.getByTestId('total-count').textContent().catch(() => '?');
  // The renderer's own marks (ms from navigation): when each column set landed and when the
  // first frame with points was issued (state/marks.ts, scene/pointCloud.ts). A build without
  // them (an older renderer) reports "–".
  const marks = await page.evaluate(() => Object.fromEntries(['winnow:columns', 'winnow:map', 'winnow:scores', 'scene:points-drawn']
    .map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? null])));
  const at = (n: string) => (marks[n] === null ? '–' : `${(marks[n]! / 1000).toFixed(1)} s`);
  const body = `
Project: ${count} samples with a map (made by bench/scale-1m.ts). The browser-mode server started (project opened) in ${(serverMs / 1000).toFixed(1)} s; from navigation, the sample count showed after ${(countMs / 1000).toFixed(1)} s, the map canvas (after a click on the Map tab) appeared after ${(canvasMs / 1000).toFixed(1)} s and showed points (${coloured.toLocaleString('en-US')} pixels off the background) after **${(drawnMs / 1000).toFixed(1)} s** (target ≤ 3 s). The renderer's marks: positions (map.get) in at ${at('winnow:map')}, sample columns at ${at('winnow:columns')}, score columns at ${at('winnow:scores')}, first frame with points issued at ${at('scene:points-drawn')}. Chromium's WebGL is SwiftShader here (the GPU emulated on 2 shared cores), so the draw is slower than on a machine with a GPU; the time includes fetching columns, positions and scores over the WebSocket.
`;
  console.log(body);
  if (!values['no-write']) writeSection('1M (first frame)', `npx tsx bench/scale-1m-frame.ts ${process.argv.slice(2).join(' ')}`, body);
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
