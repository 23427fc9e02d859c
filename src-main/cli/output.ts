// CLI conventions shared by every command: results on stdout (one JSON document with --json),
// progress on stderr, failures as one line and a non-zero exit code.
import type { JobProgress } from '../../src-shared/model/job';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

// Characters a terminal acts on rather than shows: C0 and C1 controls (ESC, CSI, BEL, CR…),
// DEL, and the bidirectional overrides that make text read differently from what it is.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from file names, labels files and projects, made safe to print: each character a
 * terminal would act on is shown as an escape (`\x1b`, `\u202e`) instead.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// JSON.stringify already escapes C0 controls; the layout's own newlines must stay as they are.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** printable() for each line of a multi-line report. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** JSON.stringify leaves C1 controls and bidi overrides raw; inside JSON strings, \u escapes mean the same. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function printResult(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${jsonForTerminal(value)}\n` : `${printableLines(human())}\n`);
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
      const line = `${label}: ${p.done}/${p.total} (${pct}%${rate}${eta})${p.message ? ` ${printable(p.message)}` : ''}`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
