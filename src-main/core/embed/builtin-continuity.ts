// A project embedded with the float built-in model before the int8 build became the default
// keeps the float model when no model is named: its vectors stay one set, an "embed" after
// adding images only embeds the new ones, and nothing is recomputed behind the user's back.
// Naming a model (--model builtin, builtin-int8, builtin-float) always wins.
import type { EmbeddingStore } from './embedding-store';
import { resolveModel } from './model-source';

export function continuingBuiltin(store: EmbeddingStore): string | undefined {
  const sets = store.sets().filter((s) => s.count > 0);
  if (sets.length === 0) return undefined;
  const float = resolveModel('builtin-float').key;
  const int8 = resolveModel('builtin-int8').key;
  if (sets.some((s) => s.modelKey === int8)) return undefined;
  return sets.some((s) => s.modelKey === float) ? 'builtin-float' : undefined;
}
