// Browser mode's command line, checked before anything starts, and start-up failures turned
// into one line a person can act on instead of a stack trace.
import { parseArgs } from 'node:util';
import { tokenProblem } from '../transport/http/auth';

export interface WebArgs {
  port: number;
  project?: string;
  staticDir?: string;
  token?: string;
}

export const WEB_USAGE = 'usage: winnow-web [--port N] [--project FILE] [--static DIR] [--token TOKEN]';

/** The parsed arguments, or a message saying what is wrong with them. */
export function parseWebArgs(argv: string[]): { ok: true; args: WebArgs } | { ok: false; message: string } {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, project: { type: 'string' }, static: { type: 'string' }, token: { type: 'string' } } }));
  } catch (err) {
    return { ok: false, message: `${(err as Error).message.split('\n')[0]}\n${WEB_USAGE}` };
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) return { ok: false, message: `--port must be a number from 0 to 65535 (0 picks a free port), not "${values.port}"` };
    port = Number(values.port);
  }
  if (values.token !== undefined) {
    const problem = tokenProblem(values.token);
    if (problem) return { ok: false, message: `--token: ${problem}. Leave it out to get a random one.` };
  }
  return { ok: true, args: { port, project: values.project, staticDir: values.static, token: values.token } };
}

/** One line for an error from starting the server to listen. */
export function listenProblem(err: unknown, port: number): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `port ${port} on 127.0.0.1 is already in use (another Winnow?). Choose another with --port, or leave --port out to pick a free one.`;
  if (code === 'EACCES') return `not allowed to listen on port ${port}; ports below 1024 usually need administrator rights. Choose one from 1024 to 65535.`;
  if (code === 'EADDRNOTAVAIL') return 'cannot listen on 127.0.0.1: this machine has no loopback address configured.';
  return `cannot start the server: ${(err as Error | null)?.message ?? String(err)}`;
}
