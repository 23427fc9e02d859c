import { useEffect, useState } from 'react';
import type { EmbedJobResult, EmbeddingSetSummary, Device } from '../../src-shared/model/embedding';
import { embedStatus, notify } from '../state/actions';
import { startEmbed } from '../state/job-actions';
import { JobStatus, useLatestJob } from './JobStatus';
import { Modal } from './Modal';

/** The built-in models by the name the core resolves (model-source.ts), and a user's own file. */
const MODELS: Array<[string, string]> = [
  ['', 'Built-in, fast (MobileNetV2)'],
  ['builtin-accurate', 'Built-in, accurate (several times slower)'],
  ['file', 'A model file (.onnx with a spec .json beside it)'],
];

const DEVICES: Array<[Device, string]> = [['auto', 'Best available (GPU if present)'], ['cpu', 'CPU'], ['cuda', 'NVIDIA CUDA'], ['dml', 'DirectML (Windows)'], ['coreml', 'Core ML (macOS)']];

export function EmbedDialog() {
  const { job, running, starting } = useLatestJob('embed');
  const [choice, setChoice] = useState('');
  const [model, setModel] = useState('');
  const [device, setDevice] = useState<Device>('auto');
  const [sets, setSets] = useState<EmbeddingSetSummary[] | null>(null);
  useEffect(() => {
    embedStatus().then((s) => setSets(s.sets)).catch(notify);
  }, [job?.state]);
  const result = job?.state === 'done' ? (job.result as EmbedJobResult) : null;
  return (
    <Modal title="Compute embeddings">
      <p className="muted">Every image becomes a vector from a local ONNX model; the map, similarity search and Auto-Curate work on these vectors. Nothing leaves this machine.</p>
      {!running && (
        <>
          <label className="field">
            <span>Model</span>
            <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="Model">
              {MODELS.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
            </select>
          </label>
          {choice === 'builtin-accurate' && (
            <p className="muted small" data-testid="accurate-hint">InceptionV3 and MobileNetV2 features, each whitened on this project&apos;s own images: vectors are stored once 5,000 of them (all, in a smaller project) are embedded and the whitening is fitted on them.</p>
          )}
          {choice === 'file' && (
            <label className="field">
              <span>Model file</span>
              <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="/path/to/model.onnx" aria-label="Model file" />
            </label>
          )}
          <label className="field">
            <span>Device</span>
            <select value={device} onChange={(e) => setDevice(e.target.value as Device)} aria-label="Device">
              {DEVICES.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
            </select>
          </label>
          <div className="row end"><button className="primary" disabled={starting || (choice === 'file' && !model.trim())} onClick={() => void startEmbed({ model: (choice === 'file' ? model.trim() : choice) || undefined, device })}>Compute embeddings</button></div>
        </>
      )}
      <JobStatus kind="embed">
        {result && (
          <p className="ok-text" data-testid="embed-summary">Embedded {result.embedded} images with {result.model} on <strong data-testid="embed-provider">{result.provider.toUpperCase()}</strong> ({result.imagesPerSecond.toFixed(0)} images/s).{result.failed.length ? ` ${result.failed.length} image(s) could not be read.` : ''}</p>
        )}
        {result?.fallbackReason && <p className="warn-text small">{result.fallbackReason}</p>}
        {job?.state === 'failed' && <p className="muted small">Fix the cause and run it again; finished batches are kept.</p>}
        {job?.state === 'cancelled' && <p className="muted">Cancelled. Finished batches are kept; running it again resumes.</p>}
      </JobStatus>
      {sets && sets.length > 0 && (
        <section>
          <h3>Embedding sets in this project</h3>
          <ul className="counts plain">{sets.map((s) => <li key={s.id}><span>{s.modelName} · {s.dim}-d · {s.provider ?? '?'}</span><span>{s.count.toLocaleString()}{s.failed ? ` (${s.failed} failed)` : ''}</span></li>)}</ul>
        </section>
      )}
    </Modal>
  );
}
