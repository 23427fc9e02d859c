// A tree of JSON values and typed arrays as one blob, for derived data the project keeps whole
// (the score cache, the column caches): each array's bytes stored as they are, so reading a
// million-entry column is one copy, not a million rows.
const TYPED = { Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/**
 * Magic (4 latin-1 characters, naming what the blob holds), the lengths of two JSON texts, a
 * tree whose typed arrays (and non-finite numbers, which JSON cannot hold) are placeholders, a
 * table of [type, offset, length] per array, then each array's bytes, 8-byte aligned.
 */
export function encodeTypedTree(magic: string, value: unknown): Buffer {
  const arrays: Typed[] = [];
  const tree = Buffer.from(JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      const t = v.constructor.name;
      if (!(t in TYPED)) throw new Error(`cannot store a ${t} in a typed blob`);
      return { $a: arrays.push(v as Typed) - 1 };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $n: String(v) };
    return v;
  }));
  let offset = 0;
  const table = arrays.map((a) => {
    const entry = [a.constructor.name, offset, a.length] as const;
    offset = align(offset + a.byteLength);
    return entry;
  });
  const tableText = Buffer.from(JSON.stringify(table));
  const dataStart = align(12 + tree.length + tableText.length);
  const out = Buffer.alloc(dataStart + offset);
  out.write(magic, 0, 4, 'latin1');
  out.writeUInt32LE(tree.length, 4);
  out.writeUInt32LE(tableText.length, 8);
  tree.copy(out, 12);
  tableText.copy(out, 12 + tree.length);
  arrays.forEach((a, i) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, dataStart + table[i]![1]));
  return out;
}

/** Throws on a blob with another magic or cut short; the tree's shape is the caller's to trust. */
export function decodeTypedTree<T>(magic: string, b: Buffer): T {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== magic) throw new Error(`not a ${magic} blob`);
  const treeLen = b.readUInt32LE(4);
  const tableLen = b.readUInt32LE(8);
  const table = JSON.parse(b.toString('utf8', 12 + treeLen, 12 + treeLen + tableLen)) as Array<[TypedName, number, number]>;
  const dataStart = align(12 + treeLen + tableLen);
  const arrays = table.map(([t, at, length]) => {
    if (!Object.hasOwn(TYPED, t)) throw new Error(`unknown array type ${t}`);
    const Ctor = TYPED[t] as new (buffer: ArrayBuffer) => Typed;
    const start = b.byteOffset + dataStart + at;
    const bytes = length * TYPED[t].BYTES_PER_ELEMENT;
    if (dataStart + at + bytes > b.length) throw new Error(`${magic} blob is cut short`);
    // A copy: the blob's buffer is not aligned for every type, and must not be kept alive whole.
    return new Ctor(b.buffer.slice(start, start + bytes) as ArrayBuffer);
  });
  return JSON.parse(b.toString('utf8', 12, 12 + treeLen), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if ('$a' in v) return arrays[(v as { $a: number }).$a];
      if ('$n' in v) return Number((v as { $n: string }).$n);
    }
    return v;
  }) as T;
}

function align(n: number): number {
  return (n + 7) & ~7;
}
