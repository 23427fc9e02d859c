// The whole demo as a user runs it, one CLI command per step, each in its own process:
// import the 70,000 MNIST digits → embed (the default model) → map → scores → a representative
// curate of 1,000. Prints each step's wall time and its share; issue #17's target is the sum
// ≤ 2 minutes on a 2-core machine. `--model builtin-float` measures the float build the same way.
//   npx tsx bench/demo.ts [--model builtin|builtin-float]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'builtin' } } });
const CLI = fileURLToPath(new URL('../bin/winnow.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-demo-'));
const project = join(dir, 'digits.winnow');

const steps: Array<[string, string[]]> = [
  ['import', ['import', 'mnist', '--project', project]],
  ['embed', ['embed', '--project', project, '--device', 'cpu', '--model', values.model!]],
  ['map', ['map', '--project', project]],
  ['scores', ['scores', '--project', project, '--format', 'json']],
  ['curate (representative, N = 1,000)', ['curate', '--project', project, '--mode', 'representative', '--n', '1000', '--name', 'train-v1']],
];

try {
  const times: Array<[string, number]> = [];
  for (const [name, args] of steps) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr.slice(-1000)}`);
    times.push([name, (performance.now() - t0) / 1000]);
    console.log(`${name}: ${times[times.length - 1]![1].toFixed(1)} s`);
  }
  const total = times.reduce((a, [, s]) => a + s, 0);
  const body = [
    `The 70,000-digit demo, one \`winnow\` command per step, each a fresh process (its start-up included), model \`${values.model}\` on the CPU. Target (issue #17): ≤ 120 s in all.`,
    '',
    '| step | wall time | share |',
    '|---|---|---|',
    ...times.map(([name, s]) => `| ${name} | ${s.toFixed(1)} s | ${((100 * s) / total).toFixed(0)} % |`),
    `| **all** | **${total.toFixed(1)} s** | |`,
  ].join('\n');
  console.log(body);
  writeSection(`demo end to end (${values.model})`, `npx tsx bench/demo.ts --model ${values.model}`, body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
