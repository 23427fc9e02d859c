// The one thumbnail service of the page: sample id -> object URL, fetched in batches and kept in
// one bounded LRU shared by the grid, the selection panel, the strips and the map's tooltip.
// Object URLs are revoked here on eviction and when the project changes, never by a view, so
// scrolling through 70,000 items does not grow memory without end and no view leaks one.
import type { Api } from './client';
import { payloadToUrl } from './image-url';

const CAPACITY = 4000;
const BATCH = 400;

export class ThumbnailService {
  private api: Api | null = null;
  private readonly urls = new Map<number, string>();
  private readonly pending = new Map<number, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  /** Bumped by clear(), so answers for the previous project are dropped. */
  private generation = 0;

  connect(api: Api): void {
    this.api = api;
    this.clear();
  }

  /** The URL when already here (and marks it recently used); never fetches. */
  get(id: number): string | undefined {
    const url = this.urls.get(id);
    if (url) { this.urls.delete(id); this.urls.set(id, url); }
    return url;
  }

  /** Called after every batch that arrives. */
  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Fetches whichever of `ids` are neither here nor on the way; resolves (never rejects) when all are settled. */
  async request(ids: readonly number[]): Promise<void> {
    const api = this.api;
    if (!api) return;
    const waits: Array<Promise<void>> = [];
    const missing: number[] = [];
    for (const id of ids) {
      const p = this.pending.get(id);
      if (p) waits.push(p);
      else if (!this.urls.has(id)) missing.push(id);
    }
    for (let i = 0; i < missing.length; i += BATCH) {
      const chunk = missing.slice(i, i + BATCH);
      const gen = this.generation;
      const done = (async () => {
        try {
          const { items } = await api.call('samples.thumbnails', { ids: chunk });
          const made = await Promise.all(items.map((p) => (p ? payloadToUrl(p) : null)));
          made.forEach((url, j) => { if (url) { if (gen === this.generation) this.put(chunk[j]!, url); else URL.revokeObjectURL(url); } });
        } catch {
          // Best effort: a view keeps its placeholder, and a later request asks again.
        } finally {
          if (gen === this.generation) chunk.forEach((id) => this.pending.delete(id));
        }
        for (const l of this.listeners) l();
      })();
      chunk.forEach((id) => this.pending.set(id, done));
      waits.push(done);
    }
    await Promise.all(waits);
  }

  /** One thumbnail, fetched if needed; null when the sample has none. */
  async url(id: number): Promise<string | null> {
    await this.request([id]);
    return this.get(id) ?? null;
  }

  clear(): void {
    this.generation++;
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    this.pending.clear();
    for (const l of this.listeners) l();
  }

  private put(id: number, url: string): void {
    const old = this.urls.get(id);
    if (old) URL.revokeObjectURL(old);
    this.urls.delete(id);
    this.urls.set(id, url);
    while (this.urls.size > CAPACITY) {
      const [oldId, oldUrl] = this.urls.entries().next().value as [number, string];
      this.urls.delete(oldId);
      URL.revokeObjectURL(oldUrl);
    }
  }
}

export const thumbnails = new ThumbnailService();
