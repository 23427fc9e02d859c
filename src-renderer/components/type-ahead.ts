// The review card's type-ahead: which labels a typed prefix stands for, in the order Enter takes them.
import type { SampleEvidence } from '../../src-shared/model/review';

/**
 * Labels that start with what was typed, the likeliest first: the suggestion, then by how many of
 * the voting neighbours carry it, then as listed. So one letter and Enter is usually enough.
 */
export function rankMatches(names: string[], typed: string, ev: SampleEvidence | undefined): string[] {
  if (!typed) return [];
  const t = typed.toLowerCase();
  const votes = new Map<string, number>();
  for (const n of ev?.neighbours ?? []) if (n.label !== null) votes.set(n.label, (votes.get(n.label) ?? 0) + 1);
  const score = (n: string) => (n === ev?.suggestedLabel ? 1000 : 0) + (votes.get(n) ?? 0);
  return names.filter((n) => n.toLowerCase().startsWith(t)).sort((a, b) => score(b) - score(a));
}
