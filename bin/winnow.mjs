#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader; worker threads get the same loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
