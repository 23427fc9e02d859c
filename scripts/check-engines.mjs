// Fails when an installed package asks for a Node.js that package.json's `engines.node` does not
// promise, so `npm ci` on the oldest supported Node prints no EBADENGINE warning. It reads the
// engines npm recorded in package-lock.json (the packages npm ci would install on this platform
// and the others), and checks them against the oldest version our own range admits.
import { readFileSync } from 'node:fs';
import semver from 'semver';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));
const ours = pkg.engines?.node;
if (!ours) { console.error('check-engines: package.json has no engines.node'); process.exit(1); }
const oldest = semver.minVersion(ours);
const problems = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  const wanted = entry.engines?.node;
  if (!path || !wanted || typeof wanted !== 'string') continue;
  // A platform's optional binary (sharp's win32-ia32 build, say) is only installed on that platform.
  if (entry.optional && !fitsPlatform(entry)) continue;
  if (!semver.satisfies(oldest, wanted, { includePrerelease: true })) {
    problems.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${wanted}; package.json promises ${ours}`);
  }
}
function fitsPlatform(entry) {
  const allows = (list, value) => !list || list.some((v) => v === value) || (list.every((v) => v.startsWith('!')) && !list.includes(`!${value}`));
  return allows(entry.os, process.platform) && allows(entry.cpu, process.arch);
}

if (problems.length) {
  console.error(`check-engines: ${problems.length} installed package(s) need a newer Node than engines.node admits:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-engines: every package's engines.node admits node ${oldest} (engines.node ${ours})`);
