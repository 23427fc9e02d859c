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

/**
 * The longest the event loop went without turning during a step: what a request from the
 * renderer (a query, a page of thumbnails, a job's progress event) waited at worst while the
 * step ran on this process. A 10 ms interval timer notes its largest gap; perf_hooks'
 * monitorEventLoopDelay reported 10 ms for a 500 ms busy loop here (Node 20), so it is not used.
 */
export function stallMonitor(): { reset(): void; maxMs(): number } {
  let last = performance.now(), max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 10);
  timer.unref();
  return {
    reset: () => { last = performance.now(); max = 0; },
    maxMs: () => Math.max(max, performance.now() - last),
  };
}
