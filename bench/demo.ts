// The whole demo as a user runs it, one CLI command per step, each in its own process:
// import the 70,000 MNIST digits → embed (the default model) → map → scores → a representative
// curate of 1,000. Prints each step's wall time and its share; issue #17's target is the sum
// ≤ 2 minutes on a 2-core machine. `--model builtin-float` measures the float build the same way.
//   npx tsx bench/demo.ts [--model builtin|builtin-float]
// With --baseline DIR (a checkout of older code with a node_modules link), the steps after the
// embed (map, scores, curate) also run with that code's CLI on a copy of the embedded project,
// each step right after this tree's, so both see the same machine; the copy is set back to the
// older code's schema (the tables it does not know dropped) so that code opens it.
//   npx tsx bench/demo.ts --baseline /tmp/old [--before-label TEXT]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: {
  model: { type: 'string', default: 'builtin' },
  baseline: { type: 'string' },
  'before-label': { type: 'string', default: 'main before issue #17 items 2–3 (4b8e77b): scores and curate score the map again' },
} });
const CLI = fileURLToPath(new URL('../bin/winnow.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-demo-'));
const project = join(dir, 'digits.winnow');
const before = join(dir, 'digits-before.winnow');

const stepArgs = (p: string): Array<[string, string[]]> => [
  ['import', ['import', 'mnist', '--project', p]],
  ['embed', ['embed', '--project', p, '--device', 'cpu', '--model', values.model!]],
  ['map', ['map', '--project', p]],
  ['scores', ['scores', '--project', p, '--format', 'json']],
  ['curate (representative, N = 1,000)', ['curate', '--project', p, '--mode', 'representative', '--n', '1000', '--name', 'train-v1']],
];

function run(cli: string, name: string, args: string[]): number {
  // The previous step's writes (the embed's vectors: hundreds of MB) are flushed first, so the
  // next step is not timed while the disk catches up (seen as a slower map right after embed).
  spawnSync('sync');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr.slice(-1000)}`);
  return (performance.now() - t0) / 1000;
}

/** A copy of the embedded project that the older code can open: its schema version, without newer tables. */
async function copyForBaseline(baseline: string): Promise<void> {
  cpSync(project, before);
  cpSync(`${project}.index`, `${before}.index`, { recursive: true });
  const { MIGRATIONS } = (await import(pathToFileURL(join(baseline, 'src-main/core/catalog/migrations.ts')).href)) as typeof import('../src-main/core/catalog/migrations');
  const db = new Database(before);
  db.exec('DROP TABLE IF EXISTS score_cache');
  db.pragma(`user_version = ${MIGRATIONS.length}`);
  db.close();
}

try {
  const times: Array<[string, number, number | null]> = [];
  for (const [name, args] of stepArgs(project)) {
    const s = run(CLI, name, args);
    let old: number | null = null;
    if (values.baseline && name === 'map') await copyForBaseline(values.baseline);
    if (values.baseline && !['import', 'embed'].includes(name)) {
      const oldArgs = stepArgs(before).find(([n]) => n === name)![1];
      old = run(join(values.baseline, 'bin/winnow.mjs'), `${name} (before)`, oldArgs);
    }
    times.push([name, s, old]);
    console.log(`${name}: ${s.toFixed(1)} s${old === null ? '' : ` (before: ${old.toFixed(1)} s)`}`);
  }
  const total = times.reduce((a, [, s]) => a + s, 0);
  // The older code's total: its own map, scores and curate, with this run's import and embed.
  const totalBefore = times.reduce((a, [, s, old]) => a + (old ?? s), 0);
  const withBefore = values.baseline !== undefined;
  const body = [
    `The 70,000-digit demo, one \`winnow\` command per step, each a fresh process (its start-up included), model \`${values.model}\` on the CPU. Target (issue #17): ≤ 120 s in all.`,
    ...(withBefore ? ['', `"Before": \`${values.baseline}\` (${values['before-label']}), running map, scores and curate on a copy of the same embedded project, each right after this tree's step; import and embed are this tree's in both totals.`] : []),
    '',
    withBefore ? '| step | wall time | share | before | now / before |' : '| step | wall time | share |',
    withBefore ? '|---|---|---|---|---|' : '|---|---|---|',
    ...times.map(([name, s, old]) => `| ${name} | ${s.toFixed(1)} s | ${((100 * s) / total).toFixed(0)} % |${withBefore ? ` ${old === null ? '(same)' : `${old.toFixed(1)} s`} | ${old === null ? '' : (s / old).toFixed(2)} |` : ''}`),
    withBefore ? `| **all** | **${total.toFixed(1)} s** | | **${totalBefore.toFixed(1)} s** | **${(total / totalBefore).toFixed(2)}** |` : `| **all** | **${total.toFixed(1)} s** | |`,
  ].join('\n');
  console.log(body);
  writeSection(`demo end to end (${values.model})${withBefore ? ' vs before' : ''}`, `npx tsx bench/demo.ts --model ${values.model}${withBefore ? ` --baseline ${values.baseline}` : ''}`, body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
