// Every bench script owns one section of BENCHMARKS.md, delimited by markers, and rewrites
// only that section, so scripts can run in any order without clobbering each other.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
const HEADER = '# Winnow benchmarks\n\nEach section is written by the bench script named in it (`npm run bench` runs them all). Numbers are from the machine named in the section; ratios are measured against a baseline in the same run.\n';

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function writeSection(name: string, command: string, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n## ${name}\n\nCommand: \`${command}\`  \nMachine: ${machineLine()}\n\n${body.trim()}\n${end}`;
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + section + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, text);
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
