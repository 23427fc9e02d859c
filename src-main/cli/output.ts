// CLI conventions shared by every command: results on stdout (one JSON document with --json),
// progress on stderr, failures as one line and a non-zero exit code.
import type { JobProgress } from '../../src-shared/model/job';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function printResult(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function progressPrinter(label: string): { update(p: JobProgress): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (!tty && now - last < 2000 && p.done < p.total) return;
      last = now;
      const pct = p.total ? Math.floor((100 * p.done) / p.total) : 0;
      const eta = p.etaSeconds !== null && p.done < p.total ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
      const rate = p.rate ? `, ${p.rate.toFixed(0)}/s` : '';
      const line = `${label}: ${p.done}/${p.total} (${pct}%${rate}${eta})${p.message ? ` ${p.message}` : ''}`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
