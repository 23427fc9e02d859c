import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuFlags, int8Exact } from './int8-support';

const AVX2_ONLY = 'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: fpu vme sse2 avx avx2 fma bmi2\n\nprocessor\t: 1\n';
const VNNI = 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 avx avx2 avx512f avx512_vnni\n';

test('int8 is the default only where its kernels do not saturate', () => {
  assert.deepEqual([...cpuFlags(AVX2_ONLY)!].slice(-2), ['avx2', 'fma', 'bmi2'].slice(-2));
  assert.equal(cpuFlags('no flags here'), null);
  assert.equal(int8Exact({ arch: 'x64', platform: 'linux', flags: cpuFlags(AVX2_ONLY) }), false);
  assert.equal(int8Exact({ arch: 'x64', platform: 'linux', flags: cpuFlags(VNNI) }), true);
  assert.equal(int8Exact({ arch: 'x64', platform: 'linux', flags: cpuFlags('flags : avx2 avx_vnni') }), true);
  assert.equal(int8Exact({ arch: 'arm64', platform: 'darwin', flags: null }), true);
  // Nothing known (no /proc/cpuinfo): int8 stays the default.
  assert.equal(int8Exact({ arch: 'x64', platform: 'win32', flags: null }), true);
});
