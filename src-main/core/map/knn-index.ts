// A persistent nearest-neighbour index over the vectors of a map: the optional PCA
// projection plus one HNSW per shard (the graph is built as several shards in parallel
// because hnswlib-node inserts on one thread). It lives on the calling thread; new vectors
// are added to the last shard and searched across all shards.
//
// File layout (one file, little-endian):
//   "WNWKNN01" | u32 header bytes | JSON header | zero pad to 8 | f64 mean[dim] |
//   f64 components[pcaDim×dim] | shard 0 bytes | shard 1 bytes | …
// Each shard blob is hnswlib's own index file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnnGraph } from '../../../src-shared/model/knn';
import { addRows, createHnsw, loadHnsw, mergeCandidates, queryRows, type Hnsw, type HnswParams, type Space } from './engine/hnsw';
import { projectRows, type PcaModel } from './engine/pca';

const MAGIC = 'WNWKNN01';

interface Header {
  version: 1;
  dim: number;
  space: Space;
  pcaDim: number;
  params: HnswParams;
  shards: { bytes: number }[];
}

export class KnnIndex {
  private constructor(
    readonly dim: number,
    private readonly space: Space,
    private readonly pca: PcaModel | null,
    private readonly params: HnswParams,
    private readonly shards: Hnsw[],
  ) {}

  /** Wraps shards built elsewhere (shard s holds labels of its rows). */
  static fromShardFiles(dim: number, space: Space, pca: PcaModel | null, params: HnswParams, files: string[]): KnnIndex {
    const inner = pca ? pca.outDim : dim;
    return new KnnIndex(dim, space, pca, params, files.map((f) => loadHnsw(space, inner, f, params.ef)));
  }

  /** An empty single-shard index (vectors are added with `add`). */
  static create(dim: number, space: Space, pca: PcaModel | null, params: HnswParams, capacity = 1024): KnnIndex {
    const inner = pca ? pca.outDim : dim;
    return new KnnIndex(dim, space, pca, params, [createHnsw(space, inner, capacity, params)]);
  }

  get size(): number {
    return this.shards.reduce((s, h) => s + h.getCurrentCount(), 0);
  }

  /** Adds L2-normalised vectors (m×dim); they get the ids size .. size+m-1, which are returned. */
  add(vectors: Float32Array): Int32Array {
    const m = vectors.length / this.dim;
    const first = this.size;
    const y = this.project(vectors);
    addRows(this.shards[this.shards.length - 1], y, this.innerDim, 0, m, first);
    return Int32Array.from({ length: m }, (_, i) => first + i);
  }

  /**
   * k nearest indexed vectors of each query (m×dim, L2-normalised). Distances are cosine
   * distances; with a PCA projection they are estimated in the projected space
   * (|Δ|²/2, exact for vectors inside the principal subspace).
   */
  search(queries: Float32Array, k: number): KnnGraph {
    const m = queries.length / this.dim;
    const y = this.project(queries);
    const lists = this.shards.map((h) => {
      const indices = new Int32Array(m * k);
      const distances = new Float32Array(m * k);
      queryRows(h, y, this.innerDim, 0, m, k, indices, distances, null);
      return { indices, distances };
    });
    const merged = lists.length === 1 ? lists[0] : mergeCandidates(lists, m, k);
    toCosine(merged.distances, this.space);
    return { n: m, k, indices: merged.indices, distances: merged.distances };
  }

  private get innerDim(): number {
    return this.pca ? this.pca.outDim : this.dim;
  }

  private project(vectors: Float32Array): Float32Array {
    if (!this.pca) return vectors;
    const m = vectors.length / this.dim;
    const out = new Float32Array(m * this.pca.outDim);
    projectRows(vectors, this.pca, 0, m, out);
    return out;
  }

  save(path: string): void {
    const dir = mkdtempSync(join(tmpdir(), 'winnow-knn-'));
    try {
      const files = this.shards.map((h, s) => {
        const f = join(dir, `shard${s}.bin`);
        h.writeIndexSync(f);
        return f;
      });
      KnnIndex.pack(path, this.dim, this.space, this.pca, this.params, files);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Writes an index file from hnswlib shard files without loading them. */
  static pack(path: string, dim: number, space: Space, pca: PcaModel | null, params: HnswParams, shardFiles: string[]): void {
    const blobs = shardFiles.map((f) => readFileSync(f));
    const header: Header = {
      version: 1,
      dim,
      space,
      pcaDim: pca ? pca.outDim : 0,
      params,
      shards: blobs.map((b) => ({ bytes: b.length })),
    };
    const json = Buffer.from(JSON.stringify(header));
    const head = Buffer.alloc(12 + json.length + pad8(12 + json.length));
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    json.copy(head, 12);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, head);
      if (pca) {
        writeSync(fd, new Uint8Array(pca.mean.buffer, pca.mean.byteOffset, pca.mean.byteLength));
        writeSync(fd, new Uint8Array(pca.components.buffer, pca.components.byteOffset, pca.components.byteLength));
      }
      for (const b of blobs) writeSync(fd, b);
    } finally {
      closeSync(fd);
    }
  }

  static load(path: string): KnnIndex {
    const buf = readFileSync(path);
    if (buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path} is not a Winnow k-NN index`);
    const len = buf.readUInt32LE(8);
    const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Header;
    if (header.version !== 1) throw new Error(`unsupported k-NN index version ${header.version}`);
    let off = 12 + len + pad8(12 + len);
    let pca: PcaModel | null = null;
    if (header.pcaDim > 0) {
      const mean = new Float64Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + header.dim * 8));
      off += header.dim * 8;
      const bytes = header.pcaDim * header.dim * 8;
      const components = new Float64Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes));
      off += bytes;
      pca = { dim: header.dim, outDim: header.pcaDim, mean, components, variances: new Float64Array(header.pcaDim), totalVariance: 0 };
    }
    const dir = mkdtempSync(join(tmpdir(), 'winnow-knn-'));
    try {
      const files = header.shards.map((s, i) => {
        const f = join(dir, `shard${i}.bin`);
        writeFileSync(f, buf.subarray(off, off + s.bytes));
        off += s.bytes;
        return f;
      });
      return KnnIndex.fromShardFiles(header.dim, header.space, pca, header.params, files);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function pad8(x: number): number {
  return (8 - (x % 8)) % 8;
}

/** hnswlib's l2 is the squared distance; for unit vectors cosine distance = |Δ|²/2. */
export function toCosine(distances: Float32Array, space: Space): void {
  if (space === 'l2') for (let i = 0; i < distances.length; i++) distances[i] *= 0.5;
}

export function saveIndex(index: KnnIndex, path: string): void {
  index.save(path);
}

export function loadIndex(path: string): KnnIndex {
  return KnnIndex.load(path);
}
