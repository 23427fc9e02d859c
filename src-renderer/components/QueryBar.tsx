import { useEffect, useMemo, useState } from 'react';
import { QUERY_HELP } from '../../src-shared/query/ast';
import { alignRows, rowsOf } from '../state/align';
import { applyQuery } from '../state/map-actions';
import { useMap } from '../state/map-store';

/** How many of the sorted ids `a` are also in the sorted ids `b`. */
function countIn(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (const r of alignRows(a, b)) if (r >= 0) n++;
  return n;
}

export function QueryBar() {
  const error = useMap((s) => s.queryError);
  const ids = useMap((s) => s.queryIds);
  const map = useMap((s) => s.map);
  const slice = useMap((s) => s.activeSlice);
  const query = useMap((s) => s.query);
  const [text, setText] = useState(query);
  // The query can change without typing (another project's saved query is restored).
  useEffect(() => setText(query), [query]);
  const inSlice = useMemo(() => (ids && slice ? countIn(ids, slice.ids) : null), [ids, slice]);
  return (
    <div className="query-bar">
      <div className="query-input">
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Filter: label = 7 and noise > 0.8   (Enter to apply, Esc to clear)" aria-label="Query" title={QUERY_HELP}
          spellCheck={false} className={error ? 'invalid' : ''} aria-invalid={!!error} aria-describedby={error ? 'query-error' : undefined}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void applyQuery(text);
            if (e.key === 'Escape') { setText(''); void applyQuery(''); }
            e.stopPropagation();
          }} />
        {error && <span id="query-error" className="error-text small query-message" role="alert" data-testid="query-error" title={error}>{error}</span>}
      </div>
      {!error && ids && (
        <span className="small muted query-count" data-testid="query-count">
          {inSlice !== null ? `${inSlice.toLocaleString()} match in this slice (${ids.length.toLocaleString()} in all)` : `${ids.length.toLocaleString()} match`}
        </span>
      )}
      {ids && !error && map && <button onClick={() => useMap.setState({ selection: rowsOf(map.ids, ids) })} title="Select the matches on the map">Select</button>}
    </div>
  );
}
