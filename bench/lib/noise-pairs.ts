// Look-alike class pairs the label-noise benches flip along (testing/curation/eval.ts flipPairs):
// the classes a person confuses. Set A is the documented protocol (the #15 targets); set B a
// second choice of pairs, to show the method is not tuned to one set; set C (stop 47) a third,
// added after the rule it measures was chosen.
import type { DatasetName } from '../../src-main/testing/curation/datasets';

export type PairSet = 'A' | 'B' | 'C';

export const PAIR_SETS: Record<DatasetName, Record<PairSet, Array<[number, number]>>> = {
  // T-shirt/top ↔ Shirt, Pullover ↔ Coat, Sneaker ↔ Ankle boot | Shirt ↔ Pullover, Coat ↔ Dress, Sandal ↔ Sneaker | T-shirt/top ↔ Dress, Pullover ↔ Shirt, Sandal ↔ Ankle boot
  fashion: { A: [[0, 6], [2, 4], [7, 9]], B: [[6, 2], [4, 3], [5, 7]], C: [[0, 3], [2, 6], [5, 9]] },
  // 4 ↔ 9, 3 ↔ 5, 1 ↔ 7 | 3 ↔ 8, 7 ↔ 9, 5 ↔ 6 | 2 ↔ 7, 4 ↔ 6, 0 ↔ 8
  mnist: { A: [[4, 9], [3, 5], [1, 7]], B: [[3, 8], [7, 9], [5, 6]], C: [[2, 7], [4, 6], [0, 8]] },
};

/** The pairs by class name, for a table's caption. */
export function pairNames(pairs: Array<[number, number]>, classNames: readonly string[]): string {
  return pairs.map(([a, b]) => `${classNames[a]} ↔ ${classNames[b]}`).join(', ');
}
