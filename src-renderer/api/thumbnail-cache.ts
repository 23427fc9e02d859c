// Thumbnail URLs by sample id, fetched in batches and kept in a bounded LRU (object URLs are
// revoked on eviction so scrolling through 70,000 items does not grow memory without end).
import type { Api } from './client';
import { payloadToUrl } from './image-url';

const CAPACITY = 4000;
const BATCH = 400;

export class ThumbnailCache {
  private readonly urls = new Map<number, string>();
  private readonly pending = new Set<number>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: Api) {}

  get(id: number): string | undefined {
    const url = this.urls.get(id);
    if (url) { this.urls.delete(id); this.urls.set(id, url); }
    return url;
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async request(ids: number[]): Promise<void> {
    const missing = ids.filter((id) => !this.urls.has(id) && !this.pending.has(id));
    for (let i = 0; i < missing.length; i += BATCH) {
      const chunk = missing.slice(i, i + BATCH);
      chunk.forEach((id) => this.pending.add(id));
      try {
        const { items } = await this.api.call('samples.thumbnails', { ids: chunk });
        await Promise.all(items.map(async (p, j) => { if (p) this.put(chunk[j]!, await payloadToUrl(p)); }));
      } finally {
        chunk.forEach((id) => this.pending.delete(id));
      }
      for (const l of this.listeners) l();
    }
  }

  clear(): void {
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    for (const l of this.listeners) l();
  }

  private put(id: number, url: string): void {
    this.urls.set(id, url);
    while (this.urls.size > CAPACITY) {
      const [oldId, oldUrl] = this.urls.entries().next().value as [number, string];
      this.urls.delete(oldId);
      URL.revokeObjectURL(oldUrl);
    }
  }
}
