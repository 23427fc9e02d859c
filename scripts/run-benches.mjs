// `npm run bench [-- name ...]`: runs the benchmark scripts one after another (they share
// the machine's cores, so never in parallel); each rewrites its own section of BENCHMARKS.md.
import { spawnSync } from 'node:child_process';

const ALL = ['import', 'embed-pipeline', 'embed-int8', 'embed-quality', 'dask-embed', 'map', 'curate', 'curate-noise', 'curate-noise-protocols', 'duplicates', 'duplicates-edits', 'representative-sample', 'representative-eval', 'curate-project', 'export', 'scene', 'demo'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of chosen) {
  if (!ALL.includes(name)) { console.error(`unknown bench "${name}"; choose from ${ALL.join(', ')}`); process.exit(2); }
  console.log(`\n=== bench/${name}.ts`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (res.status !== 0) { failed++; console.error(`bench/${name}.ts exited with ${res.status}`); }
}
process.exit(failed ? 1 : 0);
