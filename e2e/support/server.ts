// Starts `src-main/app/web.ts` as its own process, the way a user runs browser mode, and
// returns the address with the launch token. The end-to-end tests and the browser benches share
// it; a bench comparing two checkouts passes the other checkout's root.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WebServer { url: string; baseUrl: string; stop(): Promise<void> }

/** `env`: variables set for the server on top of this process's (e.g. a demo set's folder). */
export async function startWebServer(args: string[] = [], root = ROOT, env: Record<string, string> = {}): Promise<WebServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src-main/app/web.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web server did not start:\n${log}`)), 30_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /running in browser mode at (\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`web server exited (${code}):\n${log}`)); });
  });
  return {
    url,
    baseUrl: new URL(url).origin,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
