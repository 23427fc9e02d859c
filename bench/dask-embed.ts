// Distributed embedding through the Dask example beside a single-process embed of the same
// files, same run: the shard contract's overhead (a Node process and a model load per shard,
// the .npy round trip and the import) against what it buys when workers have their own cores.
//   npx tsx bench/dask-embed.ts [--files 2000] [--shards 4] [--workers 2]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FIXTURE_CLASSES, makeFixtureFolder } from '../src-main/testing/fixture-images';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, shards: { type: 'string', default: '4' }, workers: { type: 'string', default: '2' } } });
const FILES = Number(values.files);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = [join(ROOT, 'bin/winnow.mjs')];
const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-dask-'));

function run(cmd: string, args: string[]): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout };
}

try {
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: Math.ceil(FILES / FIXTURE_CLASSES.length) });
  const files: string[] = [];
  for (const cls of readdirSync(fixture.root)) for (const f of readdirSync(join(fixture.root, cls))) files.push(`${cls}/${f}`);
  writeFileSync(join(fixture.root, 'files.txt'), files.join('\n'));
  const node = process.execPath;
  for (const name of ['single', 'dask']) run(node, [...CLI, 'import', fixture.root, '--project', join(dir, `${name}.winnow`)]);
  const single = run(node, [...CLI, 'embed', '--project', join(dir, 'single.winnow'), '--device', 'cpu', '--json']);
  const dask = run('/usr/bin/python3', [join(ROOT, 'examples/dask/embed_on_dask.py'), '--files', join(fixture.root, 'files.txt'), '--out', join(dir, 'shards'),
    '--shards', values.shards!, '--local-workers', values.workers!, '--winnow', `${node} ${CLI[0]}`, '--device', 'cpu', '--project', join(dir, 'dask.winnow')]);
  const summary = JSON.parse(dask.stdout) as { embed_seconds: number; wall_seconds: number; import: { imported: number } };
  const rows = [
    `| single process: \`winnow embed\` | ${single.seconds.toFixed(1)} s | ${(files.length / single.seconds).toFixed(0)} images/s | 1.00 |`,
    `| Dask LocalCluster, ${values.workers} workers, ${values.shards} shards (embed-shard ×${values.shards}) | ${summary.embed_seconds.toFixed(1)} s | ${(files.length / summary.embed_seconds).toFixed(0)} images/s | ${(single.seconds / summary.embed_seconds).toFixed(2)} |`,
    `| … plus \`winnow vectors import\` (${summary.import.imported} rows) | ${dask.seconds.toFixed(1)} s (whole script) | | ${(single.seconds / dask.seconds).toFixed(2)} |`,
  ];
  const body = `${files.length} PNG files of 32×32 px, built-in model, CPU. Both runs share this machine's cores, so the ratio measures the contract's overhead, not a cluster's speed-up: on real workers each shard gets its own cores.\n\n| run | wall time | rate | speed vs single |\n|---|---|---|---|\n${rows.join('\n')}`;
  console.log(body);
  writeSection('embed on Dask (shards)', `npx tsx bench/dask-embed.ts --files ${FILES} --shards ${values.shards} --workers ${values.workers}`, body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
