// `npm start`: the desktop app where an Electron binary exists; otherwise browser mode, with
// a note saying why (this build environment, for one, cannot download Electron).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function electronBinary() {
  try {
    const pathFile = require.resolve('electron/path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (!bin) {
  console.log('[winnow] No Electron binary is installed here, so Winnow starts in browser mode.');
  console.log('[winnow] To get the desktop app: npm install electron (with internet access), then npm start.');
  const res = spawnSync(npm, ['run', 'web', '--', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(res.status ?? 1);
}
const build = spawnSync(npm, ['exec', '--', 'electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
spawn(bin, ['.', ...process.argv.slice(2)], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
