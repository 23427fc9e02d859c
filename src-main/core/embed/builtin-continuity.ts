// A project embedded with one build of the built-in model keeps it when no model is named: the
// float build from before int8 became the default, or the int8 build on a CPU where the default
// is now float (int8-support.ts). Its vectors stay one set, an "embed" after adding images only
// embeds the new ones, and nothing is recomputed behind the user's back. Naming a model
// (--model builtin, builtin-int8, builtin-float, builtin-accurate) always wins. A project whose
// newest vectors come from the accurate model keeps that one too.
import type { EmbeddingStore } from './embedding-store';
import { resolveModel } from './model-source';
import { int8Exact } from './int8-support';

export function continuingBuiltin(store: EmbeddingStore): string | undefined {
  const sets = store.sets().filter((s) => s.count > 0);
  if (sets.length === 0) return undefined;
  if (store.activeSet()?.modelKey === resolveModel('builtin-accurate').key) return 'builtin-accurate';
  const float = resolveModel('builtin-float').key;
  const int8 = resolveModel('builtin-int8').key;
  // Where int8 is the default anyway, naming nothing keeps it (and a GPU named picks float, as before).
  if (sets.some((s) => s.modelKey === int8)) return int8Exact() ? undefined : 'builtin-int8';
  return sets.some((s) => s.modelKey === float) ? 'builtin-float' : undefined;
}
