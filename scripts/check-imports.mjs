#!/usr/bin/env node
// Part of `npm run lint`: checks what ESLint's per-folder rules cannot see on their own.
//  1. No import cycle among the relative imports of src-*/ (type-only imports included: a cycle
//     of types is still two modules that cannot be understood apart).
//  2. No `params as …` cast: job params are typed by the contract's JobMap (src-shared/contract/job-map.ts)
//     and parsed by its schemas, never asserted.
//  3. An engine/ file (not its tests) imports only other engine/ files and src-shared: the pure
//     algorithm never reaches its wiring (stores, runners, worker pools). ESLint's rule catches
//     the named layers (catalog, jobs, workers, node I/O); this catches a sibling wiring file.
//  4. No SQL connection outside src-main/core: the CLI, transports and app reach the catalog's
//     `db` only through core modules (test fixtures under testing/ may).
// No dependency: a regex over import statements is enough for this codebase's ESM style.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Known cycles waiting for their fix; each entry names the files of one cycle and who removes it.
// None today: keep it that way.
const ALLOWED_CYCLES = [];

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js'];
const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const PARAMS_CAST_RE = /\bparams\s+as\s+(?!const\b)/;
const DB_RE = /\bcatalog\.db\b/;
const isEngine = (rel) => rel.includes('/engine/');
const mayTouchDb = (rel) => rel.startsWith('src-main/core/') || /(^|\/)testing\//.test(rel) || rel.endsWith('.test.ts');

function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (EXTENSIONS.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const name of readdirSync(root)) if (name.startsWith('src-') && statSync(join(root, name)).isDirectory()) walk(join(root, name));
  return out;
}

function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  // `./x.js` written for a `./x.ts` file (TypeScript's ESM convention)
  if (/\.m?js$/.test(base)) candidates.push(base.replace(/\.m?js$/, '.ts'), base.replace(/\.m?js$/, '.mts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Strongly connected components (Tarjan); returns those that form a cycle. */
function cycles(graph) {
  let index = 0;
  const idx = new Map(), low = new Map(), onStack = new Set(), stack = [], found = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? new Set()).has(v)) found.push(scc);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const files = sourceFiles();
const graph = new Map();
const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const edges = new Set();
  for (const m of text.matchAll(IMPORT_RE)) {
    const target = resolveImport(file, m[1] ?? m[2]);
    if (target) edges.add(relative(root, target));
  }
  const rel = relative(root, file);
  graph.set(rel, edges);
  if (isEngine(rel) && !rel.endsWith('.test.ts')) {
    for (const target of edges) if (!isEngine(target) && !target.startsWith('src-shared/')) problems.push(`${rel}: an engine file imports ${target}; engine/ imports only engine/ and src-shared`);
  }
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\/?\*)/.test(line)) return; // comments
    if (PARAMS_CAST_RE.test(line)) problems.push(`${rel}:${i + 1}: a \`params as\` cast; type job params by the JobMap (src-shared/contract/job-map.ts) or parse them with its schema`);
    if (DB_RE.test(line) && !mayTouchDb(rel)) problems.push(`${rel}:${i + 1}: catalog.db outside src-main/core; put the SQL in a core store module`);
  });
}

const allowed = (scc) => ALLOWED_CYCLES.some((pair) => scc.length === pair.length && scc.every((f) => pair.includes(f)));
for (const scc of cycles(graph)) {
  if (allowed(scc)) continue;
  problems.push(`import cycle: ${scc.sort().join(' ↔ ')}`);
}

if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, no import cycle, no params casts, no catalog.db outside core`);
