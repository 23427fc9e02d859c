// Runs after `npm install` / `npm ci`:
// 1. builds the built-in embedding model into resources/models/ (deterministic, hash-checked);
// 2. where a real Electron binary is present, rebuilds native modules for Electron's ABI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const modelBuilder = 'scripts/model/build-builtin.ts';
if (existsSync(`${root}/${modelBuilder}`)) {
  if (run(process.execPath, ['--import', 'tsx', modelBuilder]) !== 0) {
    console.error('[winnow] building the built-in model failed; see the message above');
    process.exit(1);
  }
}

// Electron's headers come from the internet; only try when the binary actually exists.
if (existsSync(`${root}/node_modules/electron/path.txt`) && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  if (run('npx', ['--no-install', '@electron/rebuild', '-f', '-w', 'better-sqlite3']) !== 0) {
    console.warn('[winnow] could not rebuild better-sqlite3 for Electron; the desktop app needs it (browser mode and the CLI do not)');
  }
}
