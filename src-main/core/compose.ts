// Builds the one core + dispatcher pair that every entry point (desktop, web) serves.
import { contract } from '../../src-shared/contract';
import { createDispatcher, type Dispatcher } from '../../src-shared/rpc/dispatcher';
import { createHandlers } from './handlers';
import type { Platform } from './handlers/platform';
import { WinnowCore } from './winnow-core';

export function composeApp(platform: Platform): { core: WinnowCore; dispatcher: Dispatcher } {
  const core = new WinnowCore();
  const dispatcher = createDispatcher(contract, createHandlers(core, platform), {
    onError: (err, method) => console.error(`[winnow] ${method} failed:`, err),
  });
  core.onEvent((name, payload) => dispatcher.broadcast(name, payload));
  return { core, dispatcher };
}
