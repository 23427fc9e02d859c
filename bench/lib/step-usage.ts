// Per-step resource figures for the scale benches: CPU time of every thread of this process,
// and the peak RSS of one step (Linux: writing 5 to /proc/self/clear_refs resets VmHWM, so the
// next read is that step's own high-water mark; elsewhere the process's cumulative peak).
import { readFileSync, writeFileSync } from 'node:fs';
import { peakRssMiB } from './report';

/** CPU milliseconds used by this process so far (user + system, all threads). */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Start a step's peak: VmHWM falls back to the current RSS. */
export function resetPeak(): void {
  try { writeFileSync('/proc/self/clear_refs', '5'); } catch { /* not Linux: the peak stays cumulative */ }
}

/** Peak RSS in MiB since the last resetPeak() (the process's peak where VmHWM is not readable). */
export function stepPeakMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return peakRssMiB();
}
