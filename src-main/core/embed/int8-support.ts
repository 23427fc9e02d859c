// Whether the int8 build of the built-in model computes what it should on this CPU. onnxruntime's
// U8S8 kernels on x86 CPUs without VNNI (AVX2's vpmaddubsw) add each pair of uint8 × int8
// products in int16 and saturate: on an AVX2-only AMD EPYC the int8 vectors sat at cosine 0.950
// (mean) / 0.902 (min) to the float model's on 1,000 MNIST digits, against ≥ 0.99 with VNNI
// (scripts/model/builtin.test.ts). Narrower codes avoid the overflow but lose as much precision
// (7-bit weights: cosine 0.985; 7-bit activations: Fashion-MNIST 5-NN 1.3 points down), so such
// CPUs get the float build by default instead. ARM's int8 dot products do not saturate. Where the
// flags cannot be read (not Linux), nothing is known and int8 stays the default.
import { readFileSync } from 'node:fs';

export interface CpuFacts { arch: string; platform: string; flags: Set<string> | null }

/** The `flags` of /proc/cpuinfo's first processor, or null where there is none. */
export function cpuFlags(cpuinfo: string): Set<string> | null {
  const line = cpuinfo.split('\n').find((l) => /^flags\s*:/.test(l));
  return line ? new Set(line.slice(line.indexOf(':') + 1).trim().split(/\s+/)) : null;
}

export function thisCpu(): CpuFacts {
  let flags: Set<string> | null = null;
  if (process.platform === 'linux') {
    try { flags = cpuFlags(readFileSync('/proc/cpuinfo', 'utf8')); } catch { flags = null; }
  }
  return { arch: process.arch, platform: process.platform, flags };
}

const VNNI = ['avx512_vnni', 'avx_vnni', 'amx_int8'];

export function int8Exact(cpu: CpuFacts = thisCpu()): boolean {
  if (cpu.arch !== 'x64' && cpu.arch !== 'ia32') return true;
  if (!cpu.flags) return true;
  return VNNI.some((f) => cpu.flags!.has(f));
}
