// Draw only when something changed: callers invalidate(), and one requestAnimationFrame draws
// whatever is pending. Frame timings go to stats and to a `scene:frame` performance measure.
import type { FrameStats } from './types';

/** What a frame did: nothing to draw yet, drew, or drew and wants another (an animation). */
export type FrameResult = 'skipped' | 'drawn' | 'again';

export class FrameLoop {
  private raf = 0;
  private stopped = false;
  readonly stats: FrameStats = { frames: 0, lastFrameMs: 0, points: 0, sprites: 0 };

  constructor(private readonly draw: (now: number) => FrameResult) {}

  invalidate(): void {
    if (this.raf || this.stopped) return;
    this.raf = requestAnimationFrame(this.tick);
  }

  /** Drops the pending frame (the GL context is gone); a later invalidate() schedules again. */
  cancel(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  stop(): void {
    this.cancel();
    this.stopped = true;
  }

  private readonly tick = (now: number): void => {
    this.raf = 0;
    if (this.stopped) return;
    const t0 = performance.now();
    const result = this.draw(now);
    if (result === 'skipped') return;
    const t1 = performance.now();
    this.stats.frames++;
    this.stats.lastFrameMs = t1 - t0;
    performance.clearMeasures('scene:frame');
    performance.measure('scene:frame', { start: t0, end: t1 });
    if (result === 'again') this.invalidate();
  };
}
