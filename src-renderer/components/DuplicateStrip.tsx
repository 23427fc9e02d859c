// The other members of the displayed sample's near-duplicate group (scores of the newest map),
// with one action: keep this one and exclude the rest from curation and export. Excluding more
// than a handful asks first, with the count and the strip of what goes; either way the edit is
// one undo away.
import { useEffect, useMemo, useState } from 'react';
import { useThumbnails } from '../api/use-thumbnails';
import { setExcluded, undo } from '../state/actions';
import { indexOfId } from '../../src-shared/model/ids';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';

/** Group members shown; a group can be a burst of thousands of identical frames. */
const SHOWN = 12;
/** Above this many, "keep this one" asks before excluding. */
const HANDFUL = 5;

export function DuplicateStrip({ id }: { id: number }) {
  const scores = useMap((s) => s.scores);
  const others = useMemo(() => {
    if (!scores) return [];
    const row = indexOfId(scores.ids, id);
    const group = row >= 0 ? scores.dupGroup[row]! : -1;
    if (group < 0) return [];
    const out: number[] = [];
    scores.dupGroup.forEach((g, i) => { if (g === group && scores.ids[i] !== id) out.push(scores.ids[i]!); });
    return out;
  }, [scores, id]);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState(0);
  useEffect(() => { setConfirming(false); setDone(0); }, [id]);
  const exclude = () => { setConfirming(false); setDone(others.length); void setExcluded(others, true); };
  const shown = useMemo(() => others.slice(0, SHOWN), [others]);
  const thumb = useThumbnails(shown);

  if (!others.length) return null;
  return (
    <section>
      <h3>Near duplicates <span className="muted small">({others.length} other{others.length === 1 ? '' : 's'})</span></h3>
      <div className="similar-grid" data-testid="duplicates">
        {shown.map((sid) => (
          <button key={sid} className="similar-cell" title={`#${sid}`}
            onClick={() => { const cols = useApp.getState().columns; if (cols) useApp.setState({ selectedIndex: indexOfId(cols.ids, sid) }); }}>
            {thumb(sid) ? <img src={thumb(sid)} alt={`duplicate #${sid}`} /> : <div className="thumb-placeholder" />}
          </button>
        ))}
      </div>
      {confirming ? (
        <div role="alertdialog" aria-label="Confirm exclusion" data-testid="exclude-confirm">
          <p>Exclude {others.length} samples{others.length > SHOWN ? ` (the ${SHOWN} above and ${others.length - SHOWN} more)` : ' (shown above)'} from curation and export?</p>
          <button onClick={exclude}>Exclude {others.length}</button>
          <button onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      ) : (
        <button onClick={() => (others.length > HANDFUL ? setConfirming(true) : exclude())} title="Exclude the other members of this group from curation and export">
          Keep this one, exclude {others.length} other{others.length === 1 ? '' : 's'}
        </button>
      )}
      {done > 0 && (
        <p className="muted small" data-testid="exclude-done">
          Excluded {done}. <button onClick={() => { setDone(0); void undo(); }}>Undo</button>
        </p>
      )}
    </section>
  );
}
