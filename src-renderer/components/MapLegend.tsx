// The map's legend: what the colours mean, as the scene feed computed it with the colour column
// (state/map-colouring.ts). Categories with their counts, sorted; a score as a gradient with its
// range, ticks and a histogram of the points along it.
import { useEffect, useRef } from 'react';
import { useMap } from '../state/map-store';
import type { Legend } from '../state/map-colouring';
import './map-legend.css';

/** onBox: the legend's element whenever it appears or changes size, null when it goes (the map's fit keeps points clear of it). */
export function MapLegend({ onBox }: { onBox?: (el: HTMLElement | null) => void }) {
  const legend = useMap((s) => s.legend);
  const ref = useRef<HTMLDivElement>(null);
  const shown = legend !== null;
  useEffect(() => {
    const el = ref.current;
    if (!onBox || !el) return;
    onBox(el);
    const watch = new ResizeObserver(() => onBox(el));
    watch.observe(el);
    return () => { watch.disconnect(); onBox(null); };
  }, [onBox, shown]);
  if (!legend) return null;
  return (
    <div ref={ref} className="legend small" data-testid="legend" data-kind={legend.kind} aria-label={`Legend: ${legend.title}`}>
      <div className="legend-title" data-testid="legend-title">{legend.title}</div>
      {legend.kind === 'categorical' ? <Categories legend={legend} /> : <Gradient legend={legend} />}
    </div>
  );
}

function Categories({ legend }: { legend: Extract<Legend, { kind: 'categorical' }> }) {
  return (
    <div className="legend-grid">
      {legend.entries.map((e) => (
        // Name and count are siblings, so a row's text is the category's name alone.
        <div key={e.name} className="legend-entry" data-testid="legend-entry">
          <div className="legend-row"><span className="swatch" style={{ background: e.color }} />{e.name}</div>
          <span className="legend-count" data-testid="legend-count">{e.count.toLocaleString('en')}</span>
        </div>
      ))}
      {legend.more.entries > 0 && (
        <div className="legend-entry muted" data-testid="legend-more">
          <div className="legend-row">… {legend.more.entries.toLocaleString('en')} more</div>
          <span className="legend-count">{legend.more.count.toLocaleString('en')}</span>
        </div>
      )}
    </div>
  );
}

function Gradient({ legend }: { legend: Extract<Legend, { kind: 'gradient' }> }) {
  const peak = Math.max(1, ...legend.histogram);
  return (
    <div className="legend-gradient">
      <div className="legend-histogram" aria-hidden>
        {legend.histogram.map((n, i) => <span key={i} style={{ height: `${(100 * n) / peak}%` }} />)}
      </div>
      <div className="legend-bar" style={{ background: `linear-gradient(to right, ${legend.stops.join(', ')})` }} />
      <div className="legend-ticks">
        {legend.ticks.map((t) => <span key={t.at} className="legend-tick" data-testid="legend-tick" style={{ left: `${t.at * 100}%` }}>{t.label}</span>)}
      </div>
      <div className="legend-foot muted">
        <span data-testid="legend-scored">{legend.count.toLocaleString('en')} scored</span>
        {legend.missing > 0 && <span data-testid="legend-missing"><span className="swatch" style={{ background: legend.missingColor }} /> {legend.missing.toLocaleString('en')} without a score</span>}
      </div>
    </div>
  );
}
