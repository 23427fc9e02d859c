// Leaks: duplicate groups whose members sit in different splits. Every pair of members from two
// different splits is a leak pair (groups are stars around a representative, so each member is
// a near copy of it; a pair of two members is at most twice the rule apart). Counts are
// computed per group from the split sizes, so a burst of copies costs nothing to count; pairs
// are listed lazily for one page.

export interface LeakInput {
  /** Group per sample (-1 = alone). */
  groupOf: Int32Array;
  /** Split code per sample (-1 = none: never part of a leak). */
  split: Int32Array;
  splitNames: string[];
  /** Class code per sample (-1 = unlabelled). */
  labels: Int32Array;
  classNames: string[];
  /** Content hash per sample, to tell exact copies from near ones. */
  hashes: ArrayLike<string>;
}

export interface LeakPairIndex { a: number; b: number; exact: boolean }

export interface SplitPairCount { a: string; b: string; pairs: number; exact: number; samplesA: number; samplesB: number }
export interface ClassLeakCount { label: string | null; samples: number; pairs: number }

export interface LeakCounts {
  pairs: number;
  exactPairs: number;
  /** Samples with a copy in another split. */
  samples: number;
  /** Groups spanning more than one split. */
  groups: number;
  bySplitPair: SplitPairCount[];
  /** Per class of the leaking samples; `pairs` counts pairs whose two labels are this class. */
  byClass: ClassLeakCount[];
  /** Pairs whose two samples carry different labels (a leak and a label conflict at once). */
  mixedLabelPairs: number;
}

export interface LeakFindings {
  counts: LeakCounts;
  /** Leaking groups, members ascending, in order of their first member. */
  groups: Int32Array[];
  /** 1 for every sample with a copy in another split. */
  leaking: Uint8Array;
}

export function findLeaks(input: LeakInput): LeakFindings {
  const { groupOf, split, splitNames, labels, classNames, hashes } = input;
  const n = groupOf.length;
  if (split.length !== n || labels.length !== n || hashes.length !== n) throw new Error('leak input columns differ in length');
  const S = splitNames.length;
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0 || split[i]! < 0) continue;
    let m = members.get(g);
    if (!m) members.set(g, (m = []));
    m.push(i);
  }
  const pairKey = (a: number, b: number) => (a < b ? a * S + b : b * S + a);
  const bySplit = new Map<number, SplitPairCount>();
  const classSamples = new Float64Array(classNames.length + 1);
  const classPairs = new Float64Array(classNames.length + 1);
  const cls = (i: number) => (labels[i]! < 0 ? classNames.length : labels[i]!);
  const leaking = new Uint8Array(n);
  const groups: Int32Array[] = [];
  let pairs = 0, exactPairs = 0, samples = 0, mixed = 0;
  for (const m of members.values()) {
    const first = split[m[0]!]!;
    if (m.every((i) => split[i] === first)) continue;
    groups.push(Int32Array.from(m));
    const perSplit = new Map<number, number[]>();
    for (const i of m) {
      let l = perSplit.get(split[i]!);
      if (!l) perSplit.set(split[i]!, (l = []));
      l.push(i);
      leaking[i] = 1;
      samples++;
      classSamples[cls(i)]++;
    }
    const parts = [...perSplit.entries()].sort((x, y) => x[0] - y[0]);
    for (let x = 0; x < parts.length; x++) {
      for (let y = x + 1; y < parts.length; y++) {
        const [sa, la] = parts[x]!, [sb, lb] = parts[y]!;
        const key = pairKey(sa, sb);
        let c = bySplit.get(key);
        if (!c) bySplit.set(key, (c = { a: splitNames[sa]!, b: splitNames[sb]!, pairs: 0, exact: 0, samplesA: 0, samplesB: 0 }));
        c.pairs += la.length * lb.length;
        c.samplesA += la.length;
        c.samplesB += lb.length;
        pairs += la.length * lb.length;
        // Products of per-hash and per-class counts, not a loop over pairs: a burst of copies stays cheap.
        const exact = matches(la, lb, (i) => hashes[i]!);
        c.exact += exact;
        exactPairs += exact;
        let same = 0;
        for (const [k, v] of matchCounts(la, lb, cls)) { classPairs[k] += v; same += v; }
        mixed += la.length * lb.length - same;
      }
    }
  }
  groups.sort((a, b) => a[0]! - b[0]!);
  const byClass: ClassLeakCount[] = [];
  for (let c = 0; c <= classNames.length; c++) {
    if (classSamples[c]! > 0) byClass.push({ label: c < classNames.length ? classNames[c]! : null, samples: classSamples[c]!, pairs: classPairs[c]! });
  }
  const bySplitPair = [...bySplit.entries()].sort((x, y) => x[0] - y[0]).map(([, c]) => c);
  return { counts: { pairs, exactPairs, samples, groups: groups.length, bySplitPair, byClass, mixedLabelPairs: mixed }, groups, leaking };
}

function matchCounts<K>(la: number[], lb: number[], key: (i: number) => K): Map<K, number> {
  const count = new Map<K, number>();
  for (const i of la) count.set(key(i), (count.get(key(i)) ?? 0) + 1);
  const out = new Map<K, number>();
  for (const j of lb) {
    const k = key(j);
    const c = count.get(k);
    if (c) out.set(k, (out.get(k) ?? 0) + c);
  }
  return out;
}

function matches<K>(la: number[], lb: number[], key: (i: number) => K): number {
  let s = 0;
  for (const v of matchCounts(la, lb, key).values()) s += v;
  return s;
}

/** Pairs `offset` … `offset + limit − 1` in a stable order: by group, then by member. */
export function leakPairsPage(findings: LeakFindings, split: Int32Array, hashes: ArrayLike<string>, offset: number, limit: number): LeakPairIndex[] {
  const out: LeakPairIndex[] = [];
  let skip = offset;
  for (const g of findings.groups) {
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        const a = g[x]!, b = g[y]!;
        if (split[a] === split[b]) continue;
        if (skip > 0) { skip--; continue; }
        if (out.length >= limit) return out;
        out.push({ a, b, exact: hashes[a] === hashes[b] });
      }
    }
  }
  return out;
}
