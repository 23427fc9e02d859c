// Builds the scene harness page (harness.html) that bench/scene/check.ts and bench/scene.ts
// load in headless Chromium. Output goes to dist/scene-harness (ignored by git). Worker
// options are left at Vite's defaults, as in vite.web.config.mts, so the lasso worker is
// bundled the way the app bundles it.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/scene-harness', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: fileURLToPath(new URL('./harness.html', import.meta.url)) },
  },
});
