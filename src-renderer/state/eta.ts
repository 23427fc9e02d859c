// A steady "time left": the main process reports the rate over its last few seconds, which
// jumps with every slow batch. The tray smooths the rate, lets the estimate count down between
// reports, and only moves it part of the way towards each new raw estimate, so it neither
// jumps nor freezes. Pure functions of (previous estimate, report, clock) so tests can drive them.

export interface Eta {
  /** Smoothed items per second. */
  rate: number;
  /** Smoothed seconds left, or null while there is no rate yet. */
  seconds: number | null;
  /** Clock (ms) of the report this estimate was made from. */
  at: number;
}

/** Time constants (ms): the rate follows changes over ~4 s, the ETA over ~6 s. */
const RATE_TAU_MS = 4000;
const ETA_TAU_MS = 6000;

export function nextEta(prev: Eta | null, report: { done: number; total: number; rate: number }, now: number): Eta {
  const left = Math.max(0, report.total - report.done);
  if (!prev || report.rate <= 0 && prev.rate <= 0) {
    const rate = Math.max(0, report.rate);
    return { rate, seconds: rate > 0 ? left / rate : null, at: now };
  }
  const dt = Math.max(0, now - prev.at);
  const a = 1 - Math.exp(-dt / RATE_TAU_MS);
  const rate = report.rate > 0 ? prev.rate + a * (report.rate - prev.rate) : prev.rate;
  if (rate <= 0) return { rate, seconds: null, at: now };
  const raw = left / rate;
  if (prev.seconds === null || left === 0) return { rate, seconds: raw, at: now };
  const countedDown = Math.max(0, prev.seconds - dt / 1000);
  const b = 1 - Math.exp(-dt / ETA_TAU_MS);
  return { rate, seconds: Math.max(0, countedDown + b * (raw - countedDown)), at: now };
}

/** "about 40 s", "about 3 min", "about 1 h 20 min": coarse steps so the text does not flicker. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `about ${Math.ceil(seconds / 5) * 5} s left`;
  if (seconds < 3600) return `about ${Math.ceil(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  return `about ${h} h ${Math.ceil((seconds - h * 3600) / 60)} min left`;
}

export function formatRate(rate: number, unit: string): string {
  if (rate <= 0) return '';
  return `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} ${unit}/s`;
}
