// GPU check: embedding throughput of the built-in model with the CUDA provider against the CPU
// provider on the same machine, same tensors. Finishes in well under 5 minutes.
//   ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci && npx tsx bench/gpu-check.ts
import ort from 'onnxruntime-node';
import { loadModel, type Device } from '../src-main/core/embed/model';
import { resolveModel } from '../src-main/core/embed/model-source';
import { writeSection } from './lib/report';

const source = resolveModel('builtin');
const { width, height } = source.spec.inputSize;

async function measure(device: Device, batch: number, seconds: number): Promise<{ provider: string; rate: number; note?: string }> {
  const model = await loadModel(source.onnxPath, source.spec, { device });
  const data = Float32Array.from({ length: batch * 3 * width * height }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  const feeds = { [source.spec.inputName]: new ort.Tensor('float32', data, [batch, 3, height, width]) };
  await model.session.run(feeds);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await model.session.run(feeds);
    n += batch;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  await model.session.release();
  return { provider: model.provider, rate, note: model.fallbackReason };
}

const rows: string[] = [];
const cpu = await measure('cpu', 64, 15);
rows.push(`| cpu | 64 | ${cpu.rate.toFixed(0)} |`);
for (const batch of [64, 256]) {
  const gpu = await measure('cuda', batch, 20);
  rows.push(`| ${gpu.provider}${gpu.note ? ` (${gpu.note})` : ''} | ${batch} | ${gpu.rate.toFixed(0)} |`);
  console.log(`cuda batch ${batch}: provider ${gpu.provider}, ${gpu.rate.toFixed(0)} images/s (cpu ${cpu.rate.toFixed(0)})`);
}
writeSection('gpu-check', 'npx tsx bench/gpu-check.ts', `Built-in model, inference only on pre-made tensors.\n\n| provider | batch | images/s |\n|---|---|---|\n${rows.join('\n')}`);
