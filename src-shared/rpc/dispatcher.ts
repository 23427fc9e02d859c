// The one dispatcher: every transport feeds it envelopes and sends back what it returns.
import type { ContractMap, ParsedArgsOf, ResultOf } from '../contract/define';
import { checkEnvelope, type Envelope, type Transport } from './envelope';
import { RpcError } from './errors';

export interface CallContext {
  /** Aborted when the caller cancels or disconnects. */
  signal: AbortSignal;
}

export type Handlers<C extends ContractMap> = {
  [K in keyof C]: (args: ParsedArgsOf<C[K]>, ctx: CallContext) => Promise<ResultOf<C[K]>> | ResultOf<C[K]>;
};

export interface Dispatcher {
  /** Attaches a transport (one connection). Returns a detach function. */
  attach(transport: Transport): () => void;
  /** Sends an event to every attached connection. */
  broadcast(name: string, payload: unknown): void;
}

export function createDispatcher<C extends ContractMap>(contract: C, handlers: Handlers<C>, opts: { onError?: (err: unknown, method: string) => void } = {}): Dispatcher {
  const connections = new Set<Transport>();

  async function handle(req: Extract<Envelope, { t: 'req' }>, signal: AbortSignal): Promise<Envelope> {
    const def = Object.hasOwn(contract, req.method) ? contract[req.method] : undefined;
    if (!def) return fail(req.id, new RpcError('unknown_method', `unknown method "${req.method}"`));
    const parsed = def.args.safeParse(req.args ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return fail(req.id, new RpcError('bad_request', `${req.method}: ${where}${issue?.message ?? 'invalid arguments'}`));
    }
    try {
      const handler = handlers[req.method as keyof C];
      const result = await handler(parsed.data as never, { signal });
      return { t: 'res', id: req.id, ok: true, result };
    } catch (err) {
      const e = RpcError.from(err);
      if (e.code === 'internal') opts.onError?.(err, req.method);
      return fail(req.id, e);
    }
  }

  return {
    attach(transport) {
      connections.add(transport);
      const inflight = new Map<number, AbortController>();
      const reply = (res: Envelope, method: string) => {
        if (!connections.has(transport)) return;
        try {
          transport.send(res);
        } catch (err) {
          // The result could not be encoded or sent; the caller still gets an answer.
          if (res.t !== 'res' || !res.ok) return;
          opts.onError?.(err, method);
          try {
            transport.send(fail(res.id, new RpcError('internal', `${method}: the result could not be sent: ${RpcError.from(err).message}`)));
          } catch {
            // Even a plain error cannot be sent: the connection is gone; nothing is left to tell.
          }
        }
      };
      const off = transport.onMessage((raw) => {
        // Messages come from outside the process (WebSocket frames, IPC): check the shape first.
        const checked = checkEnvelope(raw);
        if (!checked.ok) {
          if (checked.replyTo !== undefined) reply(fail(checked.replyTo, new RpcError('bad_request', checked.problem)), '(malformed request)');
          return;
        }
        const msg = checked.msg;
        if (msg.t === 'req') {
          if (inflight.has(msg.id)) return reply(fail(msg.id, new RpcError('bad_request', `request id ${msg.id} is already in flight`)), msg.method);
          const ac = new AbortController();
          inflight.set(msg.id, ac);
          void handle(msg, ac.signal)
            .catch((err: unknown) => fail(msg.id, RpcError.from(err)))
            .then((res) => {
              if (inflight.get(msg.id) === ac) inflight.delete(msg.id);
              reply(res, msg.method);
            });
        } else if (msg.t === 'cancel') {
          inflight.get(msg.id)?.abort();
        }
      });
      const detach = () => {
        off();
        connections.delete(transport);
        for (const ac of inflight.values()) ac.abort();
        inflight.clear();
      };
      transport.onClose?.(detach);
      return detach;
    },
    broadcast(name, payload) {
      for (const t of connections) t.send({ t: 'evt', name, payload });
    },
  };
}

function fail(id: number, e: RpcError): Envelope {
  return { t: 'res', id, ok: false, error: e.toData() };
}
