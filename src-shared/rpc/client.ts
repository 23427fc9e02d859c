// The one client: typed calls by method name, per-call timeout and cancellation, events.
import type { ArgsOf, ContractMap, EventMap, ResultOf } from '../contract/define';
import { checkEnvelope, type Transport } from './envelope';
import { RpcError } from './errors';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface Client<C extends ContractMap, E extends EventMap> {
  call<K extends keyof C & string>(method: K, args: ArgsOf<C[K]>, opts?: CallOptions): Promise<ResultOf<C[K]>>;
  on<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): () => void;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createClient<C extends ContractMap, E extends EventMap>(contract: C, transport: Transport, opts: { defaultTimeoutMs?: number } = {}): Client<C, E> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: RpcError) => void }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  transport.onMessage((raw) => {
    // The other side is trusted less than the types say: a malformed message is dropped.
    const checked = checkEnvelope(raw);
    if (!checked.ok) return;
    const msg = checked.msg;
    if (msg.t === 'res') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new RpcError(msg.error.code, msg.error.message));
    } else if (msg.t === 'evt') {
      for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
    }
  });
  transport.onClose?.(() => {
    for (const p of pending.values()) p.reject(new RpcError('disconnected', 'connection to Winnow closed'));
    pending.clear();
  });

  return {
    call(method, args, callOpts = {}) {
      const id = nextId++;
      const timeoutMs = callOpts.timeoutMs ?? contract[method]?.timeoutMs ?? opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
      return new Promise((resolve, reject) => {
        if (callOpts.signal?.aborted) return reject(new RpcError('cancelled', `${method} cancelled`));
        const cleanup = () => {
          clearTimeout(timer);
          callOpts.signal?.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          if (!pending.delete(id)) return;
          cleanup();
          transport.send({ t: 'cancel', id });
          reject(new RpcError('cancelled', `${method} cancelled`));
        };
        const timer = setTimeout(() => {
          if (!pending.delete(id)) return;
          callOpts.signal?.removeEventListener('abort', onAbort);
          transport.send({ t: 'cancel', id });
          reject(new RpcError('timeout', `${method} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        callOpts.signal?.addEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (v) => { cleanup(); resolve(v as never); },
          reject: (e) => { cleanup(); reject(e); },
        });
        transport.send({ t: 'req', id, method, args });
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set!.delete(listener as (p: unknown) => void);
    },
    close() {
      transport.close();
    },
  };
}
