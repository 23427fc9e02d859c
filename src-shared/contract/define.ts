// A method is declared once: its argument schema is the runtime validator and its result
// type rides along as a phantom, so the registry and the TypeScript type cannot drift.
import { z } from 'zod';

// The renderer's Content-Security-Policy forbids eval; zod must not try its JIT there.
z.config({ jitless: true });

export interface MethodDef<A extends z.ZodType, R> {
  readonly args: A;
  /** Never set at runtime; carries the result type. */
  readonly _result?: R;
  /** Default client timeout; long work returns a job id instead of waiting. */
  readonly timeoutMs?: number;
}

export function method<A extends z.ZodType>(args: A, opts: { timeoutMs?: number } = {}) {
  return {
    returns<R>(): MethodDef<A, R> {
      return { args, timeoutMs: opts.timeoutMs };
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any method's shape
export type AnyMethod = MethodDef<z.ZodType, any>;
export type ContractMap = Record<string, AnyMethod>;

export type ArgsOf<M extends AnyMethod> = z.input<M['args']>;
export type ParsedArgsOf<M extends AnyMethod> = z.output<M['args']>;
export type ResultOf<M extends AnyMethod> = M extends MethodDef<z.ZodType, infer R> ? R : never;

/** Event name -> payload type. Events flow only from the main process to the renderer. */
export type EventMap = Record<string, unknown>;

/** A whole number from `min` to `max`, with one message for every way a value can miss (a CLI flag's NaN included). */
export function wholeNumber(min: number, max: number, message: string) {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}
