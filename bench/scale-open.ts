// Opening a big project, as the renderer does it, timed call by call: project.open,
// samples.columns, map.get, and (the reopen with a map) scores.get, through the real contract
// over the in-memory transport. Compares this tree's code with a baseline tree (an export of an
// older commit, e.g. `git archive main | tar -x -C DIR`, with node_modules linked) in the same
// run: each side opens its own copy of the project (a newer schema cannot be opened by older
// code), in a fresh process per round, the sides alternating.
//
//   npx tsx bench/scale-open.ts --project /tmp/scale/p1m/scale.winnow --work DIR [--baseline TREE] [--rounds 5] [--no-write] [--synthetic-map]
//
// --synthetic-map: for a project without a map (the map job takes many minutes at 1M), a staging
// copy gets one first: random positions for every sample and one row of seeded random scores per
// sample (plain SQL that any schema since 12 takes), so map.get and scores.get have what a map
// job would leave, in the same amounts.
// The project is never written: it is copied into --work first (kept there for the next run).
// The first round of this tree's code on a copy made by older code is reported apart: it
// migrates the file and builds the column caches.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Xorshift32 } from '../src-shared/random';
import { writeSection } from './lib/report';
import { cpuNow, resetPeak, stepPeakMiB } from './lib/step-usage';

const { values } = parseArgs({ options: {
  project: { type: 'string' }, work: { type: 'string' }, baseline: { type: 'string' }, rounds: { type: 'string', default: '5' },
  'no-write': { type: 'boolean', default: false }, child: { type: 'string' }, root: { type: 'string' },
  'synthetic-map': { type: 'boolean', default: false },
} });

interface Call { name: string; ms: number; cpuMs: number }
interface Phase { name: string; ms: number; cpuMs: number; peakMiB: number; calls: Call[] }
interface ChildResult { phases: Phase[]; rows: number; points: number; scored: number }

/** One round in this process, with the code of tree `root`: open, close, reopen with scores. */
async function child(root: string, path: string): Promise<ChildResult> {
  const load = (p: string) => import(pathToFileURL(join(root, p)).href);
  const { composeApp } = await load('src-main/core/compose.ts');
  const { contract } = await load('src-shared/contract/index.ts');
  const { createClient } = await load('src-shared/rpc/client.ts');
  const { createMemoryPair } = await load('src-shared/rpc/memory-transport.ts');
  const { dispatcher } = composeApp({ transport: 'memory' });
  const [server, clientSide] = createMemoryPair();
  dispatcher.attach(server);
  // the tree's own types are not this file's (the baseline may differ): only ids are read
  const api = createClient(contract, clientSide) as { call(m: string, a: object): Promise<{ ids: Int32Array } | null> };
  const out: ChildResult = { phases: [], rows: 0, points: 0, scored: 0 };
  async function phase(name: string, methods: string[]): Promise<void> {
    resetPeak();
    const calls: Call[] = [];
    const c0 = cpuNow();
    const t0 = performance.now();
    for (const m of methods) {
      const c = cpuNow();
      const t = performance.now();
      const r = await api.call(m, m === 'project.open' ? { path } : {});
      calls.push({ name: m, ms: performance.now() - t, cpuMs: cpuNow() - c });
      if (m === 'samples.columns') out.rows = r?.ids.length ?? 0;
      if (m === 'map.get') out.points = r?.ids.length ?? 0;
      if (m === 'scores.get') out.scored = r?.ids.length ?? 0;
    }
    out.phases.push({ name, ms: performance.now() - t0, cpuMs: cpuNow() - c0, peakMiB: stepPeakMiB(), calls });
  }
  await phase('open', ['project.open', 'samples.columns', 'map.get']);
  await api.call('project.close', {});
  await phase('reopen', ['project.open', 'samples.columns', 'map.get', 'scores.get']);
  await api.call('project.close', {});
  return out;
}

function copyProject(src: string, dst: string): void {
  if (existsSync(dst)) return;
  if (existsSync(src + '-wal')) copyFileSync(src + '-wal', dst + '-wal');
  // renamed last, so a copy cut short is never taken for a whole one
  copyFileSync(src, dst + '.part');
  renameSync(dst + '.part', dst);
}

function addSyntheticMap(path: string): void {
  const db = new Database(path);
  const ids = Int32Array.from(db.prepare('SELECT id FROM samples ORDER BY id').pluck().all() as number[]);
  const rng = new Xorshift32(11);
  const positions = Float32Array.from({ length: ids.length * 2 }, () => rng.normal() * 10);
  const empty = Buffer.alloc(0);
  const setId = db.prepare('SELECT MAX(id) FROM embedding_sets').pluck().get() as number;
  const blob = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  db.transaction(() => {
    const mapId = Number(db.prepare('INSERT INTO maps (set_id, params, sample_ids, positions, knn_k, knn_indices, knn_distances) VALUES (?, ?, ?, ?, 15, ?, ?)').run(setId, '{"synthetic":true}', blob(ids), blob(positions), empty, empty).lastInsertRowid);
    const rows = 64;
    const put = db.prepare(`INSERT INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence, dup_group) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
    const one = db.prepare('INSERT INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence, dup_group) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const values: unknown[] = [];
    ids.forEach((id, i) => {
      const noisy = rng.float() < 0.05;
      values.push(mapId, id, rng.float(), rng.float() ** 4, noisy ? String(rng.below(10)) : null, noisy ? rng.float() : null, i % 50 === 0 ? Math.floor(i / 100) : null);
      if (values.length === rows * 7) { put.run(values); values.length = 0; }
    });
    for (let k = 0; k < values.length; k += 7) one.run(values.slice(k, k + 7));
  })();
  db.close();
}

function runChild(root: string, path: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', path, '--root', root], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child (${root}) failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as ChildResult;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };
const fmt = (ms: number) => `${Math.round(ms)} ms`;

async function main(): Promise<void> {
  if (values.child) {
    console.log(JSON.stringify(await child(values.root!, values.child)));
    return;
  }
  if (!values.project || !values.work) throw new Error('usage: --project FILE --work DIR [--baseline TREE] [--rounds N] [--no-write]');
  const rounds = Number(values.rounds);
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  mkdirSync(values.work, { recursive: true });
  const sides: Array<{ label: string; root: string; path: string; results: ChildResult[] }> = [];
  if (values.baseline) sides.push({ label: 'baseline', root: resolve(values.baseline), path: join(values.work, 'baseline-' + basename(values.project)), results: [] });
  sides.push({ label: 'this tree', root: here, path: join(values.work, 'new-' + basename(values.project)), results: [] });
  let source = values.project;
  if (values['synthetic-map']) {
    source = join(values.work, 'staged-' + basename(values.project));
    if (!existsSync(source)) {
      copyProject(values.project, source + '.stage');
      addSyntheticMap(source + '.stage');
      renameSync(source + '.stage', source);
    }
  }
  let firstUpgrade: ChildResult | null = null;
  for (const s of sides) {
    const fresh = !existsSync(s.path);
    copyProject(source, s.path);
    if (s.root === here && fresh && values.baseline) {
      firstUpgrade = runChild(s.root, s.path);
      console.log(`this tree, first open of the copy (migration, caches built): ${summary(firstUpgrade)}`);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of sides) {
      const res = runChild(s.root, s.path);
      s.results.push(res);
      console.log(`round ${r + 1}, ${s.label}: ${summary(res)}; load ${loadavg()[0].toFixed(1)}`);
    }
  }
  const row = (label: string, results: ChildResult[], phase: string) => {
    const ps = results.map((x) => x.phases.find((p) => p.name === phase)!);
    const calls = ps[0]!.calls.map((c) => c.name);
    const per = calls.map((c) => `${c} ${fmt(median(ps.map((p) => p.calls.find((x) => x.name === c)!.cpuMs)))}`).join(', ');
    return `| ${phase === 'open' ? 'open: project.open + samples.columns + map.get' : 'reopen with a map: … + scores.get'} | ${label} | ${fmt(median(ps.map((p) => p.ms)))} | ${fmt(median(ps.map((p) => p.cpuMs)))} | ${median(ps.map((p) => p.peakMiB)).toFixed(0)} | ${per} |`;
  };
  const base = sides.find((s) => s.label === 'baseline');
  const mine = sides.find((s) => s.label === 'this tree')!;
  const ratio = (phase: string) => base ? ` ${phase}: ${(median(mine.results.map((x) => x.phases.find((p) => p.name === phase)!.cpuMs)) / median(base.results.map((x) => x.phases.find((p) => p.name === phase)!.cpuMs))).toFixed(2)}×` : '';
  const r0 = mine.results[0]!;
  const md = `
Project: ${r0.rows.toLocaleString('en-US')} samples, a map of ${r0.points.toLocaleString('en-US')} points, scores for ${r0.scored.toLocaleString('en-US')}${values['synthetic-map'] ? ' (the map and scores synthetic: random positions and seeded random score rows added to a copy, see the script)' : ''}. Each round is a fresh process (the project file is in the page cache after the first), calling the contract over the in-memory transport as the renderer would; medians of ${rounds} rounds, the sides alternating${base ? `; the baseline is an export of an older tree (\`${values.baseline}\`) on its own copy of the project` : ''}. Peak RSS is the phase's own (VmHWM reset before it). The machine is shared (load average ${loadavg()[0].toFixed(1)} on 2 cores when written): wall times are upper bounds, CPU the steadier figure.

| phase | code | wall | CPU | peak RSS (MiB) | CPU per call |
|---|---|---|---|---|---|
${sides.flatMap((s) => ['open', 'reopen'].map((p) => row(s.label, s.results, p))).join('\n')}
${firstUpgrade ? `\nFirst open of a project made by the baseline (schema migration, then the column caches are built from the rows and stored): open ${fmt(firstUpgrade.phases[0]!.ms)} (CPU ${fmt(firstUpgrade.phases[0]!.cpuMs)}), reopen ${fmt(firstUpgrade.phases[1]!.ms)} (CPU ${fmt(firstUpgrade.phases[1]!.cpuMs)}).\n` : ''}${base ? `\nCPU, this tree / baseline:${ratio('open')},${ratio('reopen')}.\n` : ''}`;
  console.log(md);
  if (!values['no-write']) writeSection('open (1M)', `npx tsx bench/scale-open.ts ${process.argv.slice(2).join(' ')}`, md);
}

function summary(r: ChildResult): string {
  return r.phases.map((p) => `${p.name} ${fmt(p.ms)} (CPU ${fmt(p.cpuMs)}, ${p.peakMiB.toFixed(0)} MiB: ${p.calls.map((c) => `${c.name} ${fmt(c.cpuMs)}`).join(', ')})`).join('; ');
}

await main();
