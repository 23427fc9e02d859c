// A full garbage collection, asked for where a job has just let go of an array of gigabytes.
// V8 frees an ArrayBuffer's memory only when it collects the object that owns it, and an isolate
// that allocates little runs no full collection for a long while: the map job's first scoring
// handed its 2.2 GB of shared vectors (a million 544-d) to the scoring thread and let go of them
// before the near-duplicate search, yet the core's thread, nearly idle meanwhile, kept them
// resident through the whole search (the job's peak RSS 4.9 GB; 2.9 GB with a collection there,
// bench/_proto runs, BENCHMARKS "1M"). The flag is set at run time and the collector taken from a
// new context, as Jest's leak detector does; the collection holds the thread for the time it takes
// to mark what is alive (tens of milliseconds at these heap sizes).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes let go from which a collection is worth its pause. */
export const WORTH_COLLECTING = 256 * 1024 * 1024;

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
