// Wire format for byte-stream transports (WebSocket): one frame per envelope.
//   [u32 json length][json utf-8][pad to 8][for each buffer: u32 byteLength, pad to 8, bytes, pad to 8]
// Typed arrays inside the payload are replaced in the JSON by {"$bin": index, "$type": name},
// so large columns cross as raw bytes, never as JSON number arrays.
import type { Envelope } from './envelope';

const TYPED = {
  Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, Uint8ClampedArray,
} as const;
type TypedName = keyof typeof TYPED;
type AnyTyped = InstanceType<(typeof TYPED)[TypedName]>;

interface BinRef { $bin: number; $type: TypedName | 'ArrayBuffer' }

function typedName(v: object): TypedName | undefined {
  const name = v.constructor?.name as TypedName | undefined;
  return name && name in TYPED ? name : undefined;
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeEnvelope(msg: Envelope): Uint8Array {
  const buffers: Uint8Array[] = [];
  const json = JSON.stringify(msg, function (_key, value: unknown) {
    if (value instanceof ArrayBuffer) {
      buffers.push(new Uint8Array(value));
      return { $bin: buffers.length - 1, $type: 'ArrayBuffer' } satisfies BinRef;
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = typedName(value);
      if (name) {
        buffers.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        return { $bin: buffers.length - 1, $type: name } satisfies BinRef;
      }
    }
    return value;
  });
  const jsonBytes = new TextEncoder().encode(json);
  let size = pad8(4 + jsonBytes.length);
  for (const b of buffers) size += pad8(8 + b.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, jsonBytes.length, true);
  out.set(jsonBytes, 4);
  let off = pad8(4 + jsonBytes.length);
  for (const b of buffers) {
    view.setUint32(off, b.byteLength, true);
    out.set(b, off + 8);
    off += pad8(8 + b.byteLength);
  }
  return out;
}

/**
 * Decodes one frame. Throws on a frame that is not well formed; the envelope inside is still
 * unchecked (the dispatcher and client check its shape with `checkEnvelope`).
 */
export function decodeEnvelope(frame: Uint8Array): Envelope {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.byteLength < 4) throw new Error('frame too short');
  const jsonLen = view.getUint32(0, true);
  if (4 + jsonLen > frame.byteLength) throw new Error('frame truncated');
  const json = new TextDecoder().decode(frame.subarray(4, 4 + jsonLen));
  const slices: Uint8Array[] = [];
  let off = pad8(4 + jsonLen);
  while (off < frame.byteLength) {
    const len = view.getUint32(off, true);
    if (off + 8 + len > frame.byteLength) throw new Error('frame truncated');
    slices.push(frame.subarray(off + 8, off + 8 + len));
    off += pad8(8 + len);
  }
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$bin' in value && '$type' in value) {
      const ref = value as BinRef;
      const src = Number.isInteger(ref.$bin) ? slices[ref.$bin] : undefined;
      if (!src) throw new Error('frame references a missing buffer');
      if (ref.$type !== 'ArrayBuffer' && !(typeof ref.$type === 'string' && Object.hasOwn(TYPED, ref.$type))) throw new Error('frame names an unknown binary type');
      // Copy into a fresh, aligned buffer so the receiver owns it and alignment is right.
      const copy = src.slice().buffer;
      if (ref.$type === 'ArrayBuffer') return copy;
      const Ctor = TYPED[ref.$type];
      if (copy.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`a ${ref.$type} buffer of ${copy.byteLength} bytes is not whole elements`);
      return new Ctor(copy) as AnyTyped;
    }
    return value;
  }) as Envelope;
}
