// The map: hosts the point-cloud engine and feeds it typed-array columns from the stores.
// Hover updates a tooltip element directly so moving the mouse never re-renders React.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { UNLABELLED } from '../../src-shared/model/sample';
import { createPointCloud, type PointCloud } from '../scene';
import { thumbnails as thumbnailService } from '../api/thumbnails';
import { loadAtlas } from '../state/actions';
import { indexOfId } from '../../src-shared/model/ids';
import { feedPointCloud } from '../state/scene-feed';
import { useApp } from '../state/app-store';
import { useMap, type ColorBy } from '../state/map-store';
import { colourBy } from '../state/map-actions';
import { startMapJob } from '../state/job-actions';
import { runningJob, useJobs } from '../state/jobs-store';
import { useBlocked } from './commands';
import { useLatestJob } from './JobStatus';
import { COMMAND_KEYS, commandTitle } from './shortcut-table';
import { DetailPanel } from './DetailPanel';
import { MapLegend } from './MapLegend';
import { ProgressBar } from './ProgressBar';
import { SelectionPanel } from './SelectionPanel';

export function MapView() {
  const map = useMap((s) => s.map);
  if (!map) return <MapEmptyState />;
  return <MapCanvas />;
}

function MapEmptyState() {
  const { job, running } = useLatestJob('map');
  const blocked = useBlocked('computeMap');
  return (
    <div className="map-empty" data-testid="map-empty">
      <h2>No map yet</h2>
      <p className="muted">The map places similar images near each other. It needs embeddings (Embed…), then a layout.</p>
      {running && job ? <ProgressBar done={job.done} total={job.total || 100} label={job.message ?? 'starting'} />
        : <button className="primary" disabled={blocked !== null} title={blocked ?? 'Compute the map from the embeddings'} onClick={() => void startMapJob()}>Compute map</button>}
      {blocked && !running && <p className="muted small" data-testid="map-blocked">{blocked}</p>}
      {job?.state === 'failed' && <p className="error-text small">Map failed: {job.error}</p>}
    </div>
  );
}

function MapCanvas() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const [cloud, setCloud] = useState<PointCloud | null>(null);
  const map = useMap((s) => s.map)!;
  const mapJob = useJobs((s) => runningJob(s, 'map'));
  const detailOpen = useApp((s) => s.detailOpen);
  const thumbnails = useMap((s) => s.thumbnails);

  useEffect(() => {
    const c = createPointCloud(canvasRef.current!, { tool: useMap.getState().tool, preserveDrawingBuffer: true, background: '#111418' });
    setCloud(c);
    return () => c.destroy();
  }, []);

  // Positions, colours, dimming and selection reach the engine outside React (state/scene-feed.ts).
  // When the final layout lands the view fits it once, unless the user has moved it meanwhile.
  const userMoved = useRef(false);
  useEffect(() => (cloud ? feedPointCloud(cloud, { userMovedView: () => userMoved.current, onNewPoints: () => { userMoved.current = false; } }) : undefined), [cloud]);
  const ids = map.ids;
  useEffect(() => {
    const el = canvasRef.current!;
    const moved = () => { userMoved.current = true; };
    const onDown = () => { if (useMap.getState().tool === 'pan') moved(); };
    const onKey = (e: KeyboardEvent) => { if (['+', '=', '-', '_', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) moved(); };
    el.addEventListener('wheel', moved, { passive: true });
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('keydown', onKey);
    return () => { el.removeEventListener('wheel', moved); el.removeEventListener('pointerdown', onDown); el.removeEventListener('keydown', onKey); };
  }, []);

  useEffect(() => {
    if (!cloud) return;
    const canvasEl = canvasRef.current!;
    let hovered = -1;
    // The current view on the element, for tools and tests that map data to screen positions.
    const showView = () => { canvasEl.dataset.view = JSON.stringify(cloud.getView()); };
    showView();
    const offs = [
      cloud.on('view', showView),
      cloud.on('select', (rows) => useMap.setState({ selection: rows })),
      cloud.on('click', (row) => {
        const cols = useApp.getState().columns;
        if (row < 0 || !cols) return;
        useApp.setState({ selectedIndex: indexOfId(cols.ids, ids[row]!), detailOpen: true });
      }),
      cloud.on('hover', (row) => {
        const tip = tipRef.current;
        if (!tip) return;
        if (row < 0) { tip.style.display = 'none'; hovered = -1; return; }
        const id = ids[row]!;
        hovered = id;
        const cols = useApp.getState().columns;
        const r = cols ? indexOfId(cols.ids, id) : -1;
        const code = r >= 0 ? cols!.labels[r]! : UNLABELLED;
        tip.querySelector('span')!.textContent = `#${id} · ${code === UNLABELLED ? 'unlabelled' : cols!.labelNames[code]}`;
        const img = tip.querySelector('img')!;
        img.removeAttribute('src');
        void thumbnailService.url(id).then((url) => { if (url && hovered === id) img.src = url; });
        tip.style.display = 'block';
        if (lastPointer) place(lastPointer);
      }),
    ];
    let lastPointer: PointerEvent | null = null;
    const move = (e: PointerEvent) => {
      lastPointer = e;
      place(e);
    };
    function place(e: PointerEvent): void {
      const tip = tipRef.current;
      if (!tip) return;
      // Keep the tooltip inside the canvas: flip it to the other side near the right or bottom edge.
      const w = tip.offsetWidth || 90;
      const h = tip.offsetHeight || 90;
      const left = e.offsetX + 14 + w > canvasEl.clientWidth ? e.offsetX - 14 - w : e.offsetX + 14;
      const top = e.offsetY + 10 + h > canvasEl.clientHeight ? e.offsetY - 10 - h : e.offsetY + 10;
      tip.style.left = `${Math.max(0, left)}px`;
      tip.style.top = `${Math.max(0, top)}px`;
    }
    canvasEl.addEventListener('pointermove', move);
    return () => { offs.forEach((off) => off()); canvasEl.removeEventListener('pointermove', move); };
  }, [cloud, ids]);

  useEffect(() => {
    if (!cloud) return;
    if (!thumbnails) return cloud.setThumbnailProvider(null);
    cloud.setThumbnailProvider(async (rows, signal) => {
      const pick = Array.from(rows.subarray(0, 512));
      return loadAtlas(pick.map((r) => ids[r]!), pick, 64, signal);
    });
    return () => cloud.setThumbnailProvider(null);
  }, [cloud, ids, thumbnails]);

  // The legend lies over the canvas's corner: fits keep the points out from under it.
  const coverLegend = useCallback((el: HTMLElement | null) => {
    if (!cloud) return;
    if (!el) return cloud.setCovered(null);
    const c = canvasRef.current!.getBoundingClientRect(), l = el.getBoundingClientRect();
    cloud.setCovered({ x: l.left - c.left, y: l.top - c.top, width: l.width, height: l.height });
  }, [cloud]);

  return (
    <div className="map-wrap">
      <MapToolbar cloud={cloud} />
      <div className="map-stage">
        <canvas ref={canvasRef} className="map-canvas" data-testid="map-canvas" aria-label="Map of the dataset" />
        <div ref={tipRef} className="map-tip" role="tooltip" data-testid="map-tip"><img alt="" /><span /></div>
        <MapLegend onBox={coverLegend} />
        <div className="map-side"><SelectionPanel />{detailOpen && <DetailPanel />}</div>
        {mapJob && <div className="map-status small" data-testid="map-status"><span className="spinner" aria-hidden /> map job: {mapJob.message ?? 'starting…'}</div>}
      </div>
    </div>
  );
}

const TOOLS = [['pan', 'toolPan'], ['lasso', 'toolLasso'], ['box', 'toolBox']] as const;

function MapToolbar({ cloud }: { cloud: PointCloud | null }) {
  const tool = useMap((s) => s.tool);
  const colorBy = useMap((s) => s.colorBy);
  const pointSize = useMap((s) => s.pointSize);
  const scores = useMap((s) => s.scores);
  const hasPredictions = useMemo(() => scores?.modelDisagrees.some((v) => !Number.isNaN(v)) ?? false, [scores]);
  const activeSlice = useMap((s) => s.activeSlice);
  const reference = useMap((s) => s.reference);
  const count = useMap((s) => s.selection.length);
  const thumbnails = useMap((s) => s.thumbnails);
  const updateBlocked = useBlocked('updateMap');
  // Joined, so a refreshed project summary with the same fields does not re-render the toolbar.
  const fields = useApp((s) => s.project?.overview.metadataFields.join('\n') ?? '').split('\n').filter(Boolean);
  return (
    <div className="map-toolbar row">
      <div className="seg" role="group" aria-label="Tool">
        {TOOLS.map(([t, id]) => (
          <button key={t} className={tool === t ? 'active' : ''} onClick={() => useMap.setState({ tool: t })} title={commandTitle(id)} data-command={id}>{COMMAND_KEYS[id].label}</button>
        ))}
      </div>
      <label className="row small">Colour
        <select value={colorBy} onChange={(e) => void colourBy(e.target.value as ColorBy)} aria-label="Colour by">
          <option value="label">label</option>
          <option value="noise" disabled={!scores}>label noise</option>
          <option value="sparseness" disabled={!scores}>sparseness</option>
          <option value="model_disagree" disabled={!hasPredictions} title={hasPredictions ? undefined : 'Import predictions first'}>model disagrees</option>
          <option value="dup_group" disabled={!scores}>duplicate group</option>
          <option value="slice" disabled={!activeSlice}>slice {activeSlice ? activeSlice.info.name : ''}</option>
          <option value="relabelled">relabelled</option>
          <option value="reviewed">reviewed</option>
          <option value="reference" disabled={!reference} title={reference ? undefined : 'Report a slice against a reference folder first'}>reference {reference ? reference.name : ''}</option>
          {fields.map((f) => <option key={f} value={`meta:${f}`}>{f}</option>)}
        </select>
      </label>
      <label className="row small">Size
        <input type="range" min={1} max={16} value={pointSize} onChange={(e) => useMap.setState({ pointSize: Number(e.target.value) })} aria-label="Point size" />
      </label>
      <label className="row small"><input type="checkbox" checked={thumbnails} onChange={(e) => useMap.setState({ thumbnails: e.target.checked })} aria-label="Show images" /> Images</label>
      <button onClick={() => cloud?.fitAll({ animate: true })} title="Fit all (0)">Fit</button>
      <button onClick={() => void startMapJob({})} disabled={updateBlocked !== null} title={updateBlocked ?? 'Add newly embedded samples to this map'}>Update</button>
      <button onClick={() => void startMapJob({ full: true })} disabled={updateBlocked !== null} title={updateBlocked ?? 'Compute the layout again from scratch'}>Re-layout</button>
      <span className="spacer" />
      <span className="small" data-testid="selection-count">{count.toLocaleString()} selected</span>
      {count > 0 && <button onClick={() => useMap.setState({ selection: new Uint32Array(0) })}>Clear</button>}
    </div>
  );
}
