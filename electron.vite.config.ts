// Desktop build: main process, preload bridge and renderer. Worker entry points are extra
// inputs of the main build so the bundled app can start them by file name.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { devCsp } from './scripts/vite-dev-csp';

// Every worker entry point in src-main/workers (the files other than the spawning helpers).
const HELPERS = new Set(['spawn.ts', 'pool.ts', 'entries.ts']);
const workerInputs = Object.fromEntries(
  readdirSync('src-main/workers')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !HELPERS.has(f))
    .map((f) => [`workers/${f.slice(0, -3)}`, resolve('src-main/workers', f)]),
);

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { desktop: resolve('src-main/app/desktop.ts'), ...workerInputs },
        external: ['better-sqlite3', 'sharp', 'onnxruntime-node', 'hnswlib-node', 'ws', 'tsx'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('src-main/app/preload.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react(), devCsp()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
