// The engine's event handlers: subscribe, emit to each (a throwing handler is logged and does
// not stop the others), forget them all on destroy.
import type { PointCloudEvents } from './types';

type Handlers = { [K in keyof PointCloudEvents]: Set<PointCloudEvents[K]> };

export class Emitter {
  private readonly handlers: Handlers = { select: new Set(), hover: new Set(), click: new Set(), view: new Set() };

  on<K extends keyof PointCloudEvents>(event: K, handler: PointCloudEvents[K]): () => void {
    const set = this.handlers[event] as Set<PointCloudEvents[K]>;
    set.add(handler);
    return () => set.delete(handler);
  }

  emit<K extends keyof PointCloudEvents>(event: K, ...args: Parameters<PointCloudEvents[K]>): void {
    for (const h of [...this.handlers[event]]) {
      try {
        (h as (...a: Parameters<PointCloudEvents[K]>) => void)(...args);
      } catch (err) {
        console.error(`[scene] ${event} handler threw`, err);
      }
    }
  }

  clear(): void {
    for (const set of Object.values(this.handlers)) set.clear();
  }
}
