// Asks the host's provider for thumbnails of the points the level-of-detail rule picked, once
// the view has settled, and hands the atlases to the thumbnail pass. One request at a time:
// a newer view aborts the older request (its atlas is still used if it arrives). A provider
// may answer with part of what was asked (say, one atlas of the nearest 256): while each
// answer leaves fewer thumbnails missing, the rest is asked for at once.
import { THUMBNAIL_REQUEST_DELAY_MS } from './constants';
import type { ThumbnailPass } from './passes/thumbnailPass';
import type { ThumbnailProvider } from './types';

/** The part of the thumbnail pass the loader needs (a fake in tests). */
export type AtlasCache = Pick<ThumbnailPass, 'has' | 'add' | 'countCached'>;

export class ThumbnailLoader {
  private provider: ThumbnailProvider | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: AbortController | null = null;
  private wanted: Uint32Array = new Uint32Array(0);
  private disposed = false;

  constructor(
    private readonly pass: AtlasCache,
    private readonly loaded: () => void,
  ) {}

  setProvider(provider: ThumbnailProvider | null): void {
    this.provider = provider;
    this.inflight?.abort();
    this.inflight = null;
    if (provider) this.schedule();
  }

  /** The sprites the view wants, nearest the centre first; requests what the cache lacks. */
  want(ids: Uint32Array): void {
    // Redrawing the same view (say, after an atlas arrived) is not a reason to ask again.
    if (sameIds(ids, this.wanted)) return;
    this.wanted = ids;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.provider || this.wanted.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.request();
    }, THUMBNAIL_REQUEST_DELAY_MS);
  }

  private request(): void {
    const provider = this.provider;
    if (!provider || this.disposed) return;
    const missing = this.wanted.filter((id) => !this.pass.has(id));
    if (missing.length === 0) return;
    this.inflight?.abort();
    const ctrl = new AbortController();
    this.inflight = ctrl;
    provider(missing, ctrl.signal).then(
      (atlas) => {
        if (this.inflight === ctrl) this.inflight = null;
        if (this.disposed || !atlas) return;
        const before = this.pass.countCached(this.wanted);
        const problem = this.pass.add(atlas);
        if (problem) {
          console.warn(`[scene] thumbnail atlas refused: ${problem}`);
          return;
        }
        this.loaded();
        // Progress (not a full cache churning through evictions) earns the next request.
        const after = this.pass.countCached(this.wanted);
        if (after > before && after < this.wanted.length && this.inflight === null) this.request();
      },
      (err: unknown) => {
        if (this.inflight === ctrl) this.inflight = null;
        if (!ctrl.signal.aborted) console.warn('[scene] thumbnail provider failed', err);
      },
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.inflight?.abort();
    this.inflight = null;
  }
}

function sameIds(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
