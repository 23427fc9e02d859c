// Every handler's failure passes through here, so a SQLite error (busy, read-only, disk full)
// reaches the page as a typed contract error with a human message, not as SQLite's own words.
import type { ContractMap } from '../../../src-shared/contract/define';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { toProjectError } from '../catalog/sqlite-errors';

export function withProjectErrors<C extends ContractMap>(handlers: Handlers<C>): Handlers<C> {
  const wrapped: Partial<Handlers<C>> = {};
  for (const name of Object.keys(handlers) as Array<keyof C>) {
    const handler = handlers[name];
    wrapped[name] = (async (args, ctx) => {
      try {
        return await handler(args, ctx);
      } catch (err) {
        throw toProjectError(err);
      }
    }) as Handlers<C>[keyof C];
  }
  return wrapped as Handlers<C>;
}
