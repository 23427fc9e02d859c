// Import boundaries from DESIGN.md are enforced here, so a wrong import fails `npm run lint`.
import tseslint from 'typescript-eslint';

const electronOnly = {
  paths: [{ name: 'electron', message: 'Only src-main/transport/electron and src-main/app may import electron.' }],
};

const coreOutside = ['**/src-main/app/**', '**/src-main/cli/**', '**/src-main/transport/**', '**/scripts/**', '../app/*', '../cli/*', '../transport/*', '../../app/*', '../../cli/*', '../../transport/*', '../../../app/*', '../../../cli/*', '../../../transport/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'resources/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src-shared/**'],
    ignores: ['src-shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/*', '../../src-renderer/*'], message: 'src-shared imports nothing outside itself.' },
          { group: ['node:*', 'electron', 'react', 'three', 'better-sqlite3', 'sharp', 'ws'], message: 'src-shared is pure TypeScript.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**'],
    ignores: ['src-renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '../../src-main/*'], message: 'The renderer never imports src-main.' },
          { group: ['node:*', 'electron', 'better-sqlite3', 'sharp'], message: 'The renderer runs in a sandboxed page.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/**', 'scripts/**', 'bench/**', 'e2e/**'],
    ignores: ['src-main/transport/electron/**', 'src-main/app/**', 'src-main/core/**'],
    rules: { 'no-restricted-imports': ['error', electronOnly] },
  },
  {
    // The shell's security decisions are unit-tested where no Electron binary exists.
    files: ['src-main/app/security-policy.ts', 'src-main/app/known-folders.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'security-policy and known-folders are tested without Electron: keep electron out.' }] }] },
  },
  {
    // The core is what the app, the CLI and the transports are built on; it never reaches back.
    files: ['src-main/core/**'],
    ignores: ['src-main/core/**/engine/**'],
    rules: {
      'no-restricted-imports': ['error', {
        ...electronOnly,
        patterns: [{ group: coreOutside, message: 'src-main/core never imports app, cli, transport or scripts.' }],
      }],
    },
  },
  {
    // An engine is a pure algorithm: typed arrays in, typed arrays out. The wiring around it
    // (run-*.ts, *-store.ts) reads the catalog, runs jobs and touches files.
    files: ['src-main/core/**/engine/**'],
    ignores: ['src-main/core/**/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        ...electronOnly,
        patterns: [
          { group: coreOutside, message: 'src-main/core never imports app, cli, transport or scripts.' },
          { group: ['**/catalog/**', '**/catalog', '**/jobs/**', '**/jobs', '**/workers/**', 'better-sqlite3', 'node:fs', 'node:fs/*', 'node:worker_threads', 'node:child_process', 'sharp', 'onnxruntime-node'], message: 'engine/ folders are pure: no catalog, jobs, workers or node I/O.' },
        ],
      }],
    },
  },
);
