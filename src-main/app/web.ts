// Browser mode: serves the built renderer and the contract over HTTP/WebSocket on 127.0.0.1.
//   tsx src-main/app/web.ts [--port N] [--project FILE] [--static DIR] [--token TOKEN]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startHttpServer, type RunningServer } from '../transport/http/server';
import { composeApp } from '../core/compose';
import { listenProblem, parseWebArgs } from './web-args';

function fail(message: string): never {
  console.error(`winnow: ${message}`);
  process.exit(1);
}

const parsed = parseWebArgs(process.argv.slice(2));
if (!parsed.ok) fail(parsed.message);
const args = parsed.args;
const staticDir = args.staticDir ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url));
if (!existsSync(staticDir)) fail(`no renderer build at ${staticDir}; run "npm run web" (it builds first)`);
const { core, dispatcher } = composeApp({ transport: 'http' });
if (args.project) {
  try {
    await (existsSync(args.project) ? core.openProject(args.project) : core.createProject(args.project));
  } catch (err) {
    fail((err as Error).message);
  }
}
let server: RunningServer;
try {
  server = await startHttpServer({ dispatcher, staticDir, port: args.port, token: args.token });
} catch (err) {
  await core.closeProject().catch(() => {});
  fail(listenProblem(err, args.port));
}
console.log(`Winnow is running in browser mode at ${server.url}`);
console.log('Open that address in a browser: the part after # is this launch\'s access token, which only this server accepts. Ctrl+C stops.');

const stop = async () => {
  await core.closeProject();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
