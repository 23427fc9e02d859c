// Browser mode: serves the built renderer and the contract over HTTP/WebSocket on 127.0.0.1.
//   tsx src-main/app/web.ts [--port N] [--project FILE] [--static DIR]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHttpServer } from '../transport/http/server';
import { composeApp } from '../core/compose';

const { values } = parseArgs({ options: { port: { type: 'string' }, project: { type: 'string' }, static: { type: 'string' }, token: { type: 'string' } } });
const staticDir = values.static ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url));
if (!existsSync(staticDir)) {
  console.error(`winnow: no renderer build at ${staticDir}; run "npm run web" (it builds first)`);
  process.exit(1);
}
const { core, dispatcher } = composeApp({ transport: 'http' });
if (values.project) {
  try {
    await (existsSync(values.project) ? core.openProject(values.project) : core.createProject(values.project));
  } catch (err) {
    console.error(`winnow: ${(err as Error).message}`);
    process.exit(1);
  }
}
const server = await startHttpServer({ dispatcher, staticDir, port: values.port ? Number(values.port) : 0, token: values.token });
console.log(`Winnow is running in browser mode at ${server.url}`);
console.log('Open that address in a browser (it includes this launch\'s access token). Ctrl+C stops.');

const stop = async () => {
  await core.closeProject();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
