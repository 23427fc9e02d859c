// Plain-JS reference ops with TF semantics (NHWC, HWIO filters, SAME padding with the odd pixel
// after), written independently of the converter so the tests can check it.

export interface Nhwc {
  h: number;
  w: number;
  c: number;
  data: Float32Array;
}

export interface RefConv {
  filter: Float32Array;
  /** HWIO for a conv, [H, W, C, M] for a depthwise conv */
  filterShape: number[];
  bias: Float32Array;
  stride: number;
  padding: 'SAME' | 'VALID';
  depthwise: boolean;
  relu6: boolean;
  /** plain ReLU (when relu6 is false) */
  relu?: boolean;
}

export function refConv(x: Nhwc, p: RefConv): Nhwc {
  const [kh, kw, fi, fo] = p.filterShape;
  const co = p.depthwise ? fi * fo : fo;
  const [oh, top] = samePad(x.h, kh, p.stride, p.padding);
  const [ow, left] = samePad(x.w, kw, p.stride, p.padding);
  const out = new Float32Array(oh * ow * co);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let o = 0; o < co; o++) {
    let acc = p.bias[o];
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * p.stride + ky - top;
      if (iy < 0 || iy >= x.h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * p.stride + kx - left;
        if (ix < 0 || ix >= x.w) continue;
        const at = (iy * x.w + ix) * x.c;
        if (p.depthwise) {
          const ch = Math.floor(o / fo);
          acc += x.data[at + ch] * p.filter[((ky * kw + kx) * fi + ch) * fo + (o % fo)];
        } else {
          for (let i = 0; i < fi; i++) acc += x.data[at + i] * p.filter[((ky * kw + kx) * fi + i) * fo + o];
        }
      }
    }
    out[(oy * ow + ox) * co + o] = p.relu6 ? Math.min(6, Math.max(0, acc)) : p.relu ? Math.max(0, acc) : acc;
  }
  return { h: oh, w: ow, c: co, data: out };
}

/** TF max / average pooling; an average over a SAME-padded window counts only the real cells. */
export function refPool(x: Nhwc, op: 'max' | 'avg', k: number, stride: number, padding: 'SAME' | 'VALID'): Nhwc {
  const [oh, top] = samePad(x.h, k, stride, padding);
  const [ow, left] = samePad(x.w, k, stride, padding);
  const out = new Float32Array(oh * ow * x.c);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let c = 0; c < x.c; c++) {
    let acc = op === 'max' ? -Infinity : 0;
    let n = 0;
    for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const iy = oy * stride + ky - top;
      const ix = ox * stride + kx - left;
      if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
      const v = x.data[(iy * x.w + ix) * x.c + c];
      acc = op === 'max' ? Math.max(acc, v) : acc + v;
      n++;
    }
    out[(oy * ow + ox) * x.c + c] = op === 'max' ? acc : acc / n;
  }
  return { h: oh, w: ow, c: x.c, data: out };
}

/** Channel concatenation of same-sized maps. */
export function refConcat(parts: Nhwc[]): Nhwc {
  const { h, w } = parts[0];
  const c = parts.reduce((a, p) => a + p.c, 0);
  const out = new Float32Array(h * w * c);
  for (let i = 0; i < h * w; i++) {
    let off = 0;
    for (const p of parts) {
      out.set(p.data.subarray(i * p.c, (i + 1) * p.c), i * c + off);
      off += p.c;
    }
  }
  return { h, w, c, data: out };
}

function samePad(size: number, k: number, s: number, mode: 'SAME' | 'VALID'): [out: number, before: number] {
  if (mode === 'VALID') return [Math.floor((size - k) / s) + 1, 0];
  const out = Math.ceil(size / s);
  return [out, Math.floor(Math.max((out - 1) * s + k - size, 0) / 2)];
}

export function nchwToNhwc(data: Float32Array, c: number, h: number, w: number): Nhwc {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[i * c + ch] = data[ch * h * w + i];
  return { h, w, c, data: out };
}

/** Deterministic pseudo-random numbers in [lo, hi) (mulberry32). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}
