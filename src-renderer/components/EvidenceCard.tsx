// Why a sample is flagged, in one block: its label against the suggested one, the scores as
// numbers, the engine's reason in words, the pick reason of each slice it is in, and whether a
// review already decided on it. Shown on the review card and in the detail panel.
import type { SampleEvidence } from '../../src-shared/model/review';
import { HOT_NOISE } from './grid-scores';

const num = (v: number | null, digits = 2) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));

export function EvidenceCard({ ev, acceptKey }: { ev: SampleEvidence; acceptKey?: string }) {
  const differs = ev.suggestedLabel !== null && ev.suggestedLabel !== ev.label;
  // The suggestion is the likeliest other label, so it differs almost always: it is drawn as a warning only where the noise says the label is doubtful.
  const doubtful = differs && (ev.noise ?? 0) >= HOT_NOISE;
  return (
    <div className="evidence" data-testid="evidence">
      <div className="evidence-labels">
        <div>
          <span className="muted small">Label</span>
          <strong className="evidence-label" data-testid="evidence-label">{ev.label ?? '(unlabelled)'}</strong>
        </div>
        <span className="evidence-arrow" aria-hidden>→</span>
        <div className={doubtful ? 'suggested differs' : 'suggested'}>
          <span className="muted small">Suggested</span>
          <strong className="evidence-label" data-testid="evidence-suggested">{ev.suggestedLabel ?? '—'}</strong>
          {ev.confidence !== null && <span className="muted small"> {Math.round(ev.confidence * 100)}% sure</span>}
          {acceptKey && differs && <span className="small accept-hint"><kbd>{acceptKey}</kbd> accepts</span>}
        </div>
      </div>
      <p className="evidence-reason" data-testid="evidence-reason">{ev.reason || 'No scores yet: compute the map to get them.'}</p>
      <dl className="props small">
        <dt>Label noise</dt><dd data-testid="evidence-noise">{num(ev.noise, 3)}</dd>
        <dt>Sparseness</dt><dd data-testid="evidence-sparseness">{num(ev.sparseness, 3)}</dd>
        {ev.originalLabel !== ev.label && <><dt>Original label</dt><dd data-testid="evidence-original">{ev.originalLabel ?? '(unlabelled)'}</dd></>}
        {ev.dupGroup !== null && <><dt>Duplicate group</dt><dd>{ev.dupGroup}</dd></>}
        {ev.modelLabel !== null && <><dt>Model says</dt><dd>{ev.modelLabel}{ev.modelDisagrees !== null ? ` (disagrees ${num(ev.modelDisagrees)})` : ''}</dd></>}
        <dt>Reviewed</dt><dd data-testid="evidence-reviewed">{ev.reviewed ? 'yes' : 'not yet'}</dd>
        {ev.slices.map((s) => <div key={s.ref} className="prop-pair"><dt>{s.name} v{s.version} #{s.rank + 1}</dt><dd data-testid="evidence-pick">{s.reason || '—'}</dd></div>)}
      </dl>
    </div>
  );
}
