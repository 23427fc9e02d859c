// The one plain-language sentence beside a flagged sample: why the scores think its label is
// wrong. The label-noise score (curate/engine/label-noise.ts) mixes two opinions: a vote of the
// sample's k-NN neighbours (their labels, distance-weighted) and a model's out-of-fold class
// probabilities: the linear probe over the whole embedding (probe.ts), or the user's imported
// predictions where a sample has one (they replace the probe there). The neighbour vote is what
// a person can check by eye, so the sentence leads with it and names the model only when the
// model, not the neighbours, explains the suggestion.

/** Noise at or above this counts as "flagged" for the wording (the score is in [0, 1]). */
export const HIGH_NOISE = 0.5;

export interface ReasonInput {
  /**
   * 'no-map': no map yet; 'scoring': the sample is in the newest map, whose scores are not
   * written yet (its map job's last step); 'not-scored': the sample is not in the newest map.
   */
  state: 'no-map' | 'scoring' | 'not-scored' | 'scored';
  label: string | null;
  noise: number | null;
  suggested: string | null;
  /** From imported predictions; null without them (then the probe is the model half). */
  modelLabel: string | null;
  /** Labels of the nearest neighbours shown (nearest first). */
  neighbourLabels: Array<string | null>;
}

export function reviewReason(r: ReasonInput): string {
  if (r.state === 'no-map') return 'No scores yet: compute the map first (the neighbours and scores come from it).';
  if (r.state === 'scoring') return 'Not scored yet: the newest map\'s scores are computed at the end of its map job (see the jobs bar), or by the next curate run if that job was cancelled; they show here once they are.';
  if (r.state === 'not-scored') return 'Not scored: the sample is not in the newest map; compute the map again.';
  const model = r.modelLabel !== null ? 'the imported model' : 'the linear probe over the whole embedding';
  const n = r.neighbourLabels.length;
  const parts: string[] = [];
  const tally = new Map<string, number>();
  for (const l of r.neighbourLabels) if (l !== null) tally.set(l, (tally.get(l) ?? 0) + 1);
  // The most common neighbour label; ties go to the suggestion, then to the sample's own label.
  let top: string | null = null, topCount = 0;
  for (const [l, c] of tally) {
    const better = c > topCount || (c === topCount && (l === r.suggested || (l === r.label && top !== r.suggested)));
    if (better) { top = l; topCount = c; }
  }
  const own = r.label === null ? 0 : tally.get(r.label) ?? 0;
  const flagged = r.noise !== null && r.noise >= HIGH_NOISE;

  if (n === 0 || top === null) {
    parts.push(n === 0 ? 'It has no neighbours in the map' : `None of its ${n} nearest neighbours has a label`);
    if (r.suggested !== null && r.suggested !== r.label) parts.push(`${model} suggests ${r.suggested}`);
  } else if (r.label === null) {
    parts.push(`It has no label; ${topCount} of its ${n} nearest neighbours are labelled ${top}`);
  } else if (top !== r.label) {
    const few = own === 0 ? 'none is' : own === 1 ? 'only 1 is' : `only ${own} are`;
    parts.push(`${topCount} of its ${n} nearest neighbours are labelled ${top}, ${few} labelled ${r.label} like it`);
    if (flagged && r.suggested !== null && r.suggested !== top && r.suggested !== r.label) parts.push(`adding ${model}, the suggestion is ${r.suggested}`);
  } else if (flagged && r.suggested !== null && r.suggested !== r.label) {
    parts.push(`${own} of its ${n} nearest neighbours are labelled ${r.label} like it, but ${model} says ${r.suggested}, which drives the score`);
  } else {
    parts.push(`${own} of its ${n} nearest neighbours are labelled ${r.label} like it`);
  }
  // An imported model that disagrees is worth saying even when the neighbours already did.
  const said = parts.join('; ');
  if (r.modelLabel !== null && r.label !== null && r.modelLabel !== r.label && !said.includes('the imported model')) {
    parts.push(`the imported model predicts ${r.modelLabel}${r.modelLabel === top ? ' too' : ''}`);
  }
  return `${parts.join('; ')}.`;
}
