// `npm run lint:electron`: Doyensec's Electronegativity over the desktop shell (src-main/app)
// and the page it loads (src-renderer/index.html, which holds the CSP); fails on any finding
// above LOW. Findings reviewed by hand carry an `eng-disable CHECK_ID` comment on their line,
// with the reason beside it. Runs offline: scripts/offline.mjs makes every connection the tool
// tries (translations, Electron release list) fail at once.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const tool = join(require.resolve('@doyensec/electronegativity/package.json'), '..', 'dist', 'index.js');
const electronVersion = require('electron/package.json').version;
const ALLOWED = new Set(['LOW', 'INFORMATIONAL']);

// One scan over what ships: the main-process files and the page (tests left out).
const stage = mkdtempSync(join(tmpdir(), 'winnow-electronegativity-'));
try {
  mkdirSync(join(stage, 'app'));
  mkdirSync(join(stage, 'renderer'));
  for (const f of readdirSync('src-main/app')) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) cpSync(join('src-main/app', f), join(stage, 'app', f));
  cpSync('src-renderer/index.html', join(stage, 'renderer', 'index.html'));
  const report = join(stage, 'report.csv');
  const res = spawnSync(process.execPath, ['--import', pathToFileURL(join(import.meta.dirname, 'offline.mjs')).href, tool, '-i', stage, '-r', '-v', 'false', '-e', electronVersion, '-o', report],
    { encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } });
  if (res.status !== 0) {
    process.stderr.write(res.stdout + res.stderr);
    throw new Error(`electronegativity exited with ${res.status}`);
  }
  const [, ...rows] = parseCsv(readFileSync(report, 'utf8'));
  const findings = rows.filter((r) => r.length > 3).map(([id, severity, confidence, file, location]) => ({ id, severity, confidence, file, location }));
  for (const f of findings) console.log(`${ALLOWED.has(f.severity) ? 'ok  ' : 'FAIL'} ${f.severity} ${f.id} ${f.file}:${f.location} (${f.confidence})`);
  const bad = findings.filter((f) => !ALLOWED.has(f.severity));
  console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} finding(s), ${bad.length} above LOW`);
  process.exitCode = bad.length ? 1 : 0;
} finally {
  rmSync(stage, { recursive: true, force: true });
}

function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field.trim()); field = ''; }
    else if (c === '\n') { row.push(field.trim()); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field.trim()); rows.push(row); }
  return rows;
}
