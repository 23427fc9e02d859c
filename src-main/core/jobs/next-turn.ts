// A job's synchronous steps on the core's thread (a batch of inserts, merging a million-row
// graph) each hold every request of the renderer until they end; awaiting this between them
// lets pending requests, progress events, timers and a cancel through.

/** Resolves after the event loop has turned once (setImmediate: after pending I/O callbacks). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
