import { useState } from 'react';
import { QUERY_HELP } from '../../src-shared/query/ast';
import { rowsOf } from '../state/align';
import { applyQuery } from '../state/map-actions';
import { useMap } from '../state/map-store';

export function QueryBar() {
  const error = useMap((s) => s.queryError);
  const ids = useMap((s) => s.queryIds);
  const map = useMap((s) => s.map);
  const [text, setText] = useState(useMap.getState().query);
  return (
    <div className="query-bar">
      <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Filter: label = 7 and noise > 0.8   (Enter to apply, Esc to clear)" aria-label="Query" title={QUERY_HELP}
        spellCheck={false} className={error ? 'invalid' : ''}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void applyQuery(text);
          if (e.key === 'Escape') { setText(''); void applyQuery(''); }
          e.stopPropagation();
        }} />
      {error ? <span className="error-text small" role="alert" data-testid="query-error">{error}</span>
        : ids && <span className="small muted" data-testid="query-count">{ids.length.toLocaleString()} match</span>}
      {ids && !error && map && <button onClick={() => useMap.setState({ selection: rowsOf(map.ids, ids) })} title="Select the matches on the map">Select</button>}
    </div>
  );
}
