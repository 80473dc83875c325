import { dotAt, nearestRow } from './top-k.js';

/**
 * The coarse quantizer of an inverted-file (IVF) similarity index: spherical k-means centroids in
 * two levels (a few coarse clusters, each split into fine ones), so assigning a million vectors
 * costs about 2·√lists dot products each rather than one per list. A vector's list is a fine
 * centroid; a query visits the lists whose fine centroids are most similar to it.
 */
export interface IvfQuantizer {
  dims: number;
  coarse: Float32Array;
  coarseCount: number;
  /** Fine centroids, row-major; a list number is a row here. */
  fine: Float32Array;
  fineCount: number;
  /** The fine centroids of coarse cluster c are rows fineStart[c] .. fineStart[c + 1] - 1. */
  fineStart: Int32Array;
}

/** Deterministic pseudo-random numbers, so the same catalog always builds the same index. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function normalise(v: Float32Array, offset: number, dims: number): boolean {
  let norm = 0;
  for (let j = 0; j < dims; j++) norm += v[offset + j] * v[offset + j];
  if (!(norm > 0)) return false;
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < dims; j++) v[offset + j] *= inv;
  return true;
}

/** Lets other work run between stretches of an index build (it takes seconds at a million vectors). */
export const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Spherical k-means over the given rows of `data`; returns k unit centroids (k <= rows.length). */
async function kmeans(data: Float32Array, dims: number, rows: Int32Array, k: number, iterations: number, random: () => number): Promise<Float32Array> {
  const centroids = new Float32Array(k * dims);
  // Initial centroids: k distinct rows (a partial Fisher-Yates shuffle).
  const order = Int32Array.from(rows);
  for (let c = 0; c < k; c++) {
    const pick = c + Math.floor(random() * (order.length - c));
    [order[c], order[pick]] = [order[pick], order[c]];
    centroids.set(data.subarray(order[c] * dims, order[c] * dims + dims), c * dims);
  }
  const sums = new Float32Array(k * dims);
  const counts = new Int32Array(k);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    counts.fill(0);
    for (const row of rows) {
      const at = row * dims;
      const c = nearestRow(centroids, 0, k, data, at, dims);
      counts[c]++;
      const off = c * dims;
      for (let j = 0; j < dims; j++) sums[off + j] += data[at + j];
    }
    for (let c = 0; c < k; c++) {
      const off = c * dims;
      if (counts[c] > 0 && normalise(sums, off, dims)) centroids.set(sums.subarray(off, off + dims), off);
      else {
        // An empty cluster restarts on a random row.
        const row = rows[Math.floor(random() * rows.length)];
        centroids.set(data.subarray(row * dims, row * dims + dims), off);
      }
    }
    await pause();
  }
  return centroids;
}

/** About `lists` lists trained on a sample of the first `count` rows of `data` (unit vectors). */
export async function trainQuantizer(data: Float32Array, dims: number, count: number, lists: number): Promise<IvfQuantizer> {
  const random = rng(0x5eed);
  const coarseCount = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(lists))));
  const finePer = Math.max(1, Math.ceil(lists / coarseCount));
  // 64 sample vectors per list are plenty for centroids; k-means cost grows with the sample only.
  const sampleSize = Math.min(count, 64 * coarseCount * finePer);
  const sample = new Int32Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) sample[i] = Math.floor((i * count) / sampleSize + random() * (count / sampleSize));
  const coarseSample = sample.length > 256 * coarseCount ? sample.filter((_, i) => i % Math.ceil(sample.length / (256 * coarseCount)) === 0) : sample;
  const coarse = await kmeans(data, dims, coarseSample, coarseCount, 10, random);

  const members: number[][] = Array.from({ length: coarseCount }, () => []);
  for (const row of sample) members[nearestRow(coarse, 0, coarseCount, data, row * dims, dims)].push(row);
  const parts: Float32Array[] = [];
  const fineStart = new Int32Array(coarseCount + 1);
  for (let c = 0; c < coarseCount; c++) {
    fineStart[c] = parts.reduce((n, p) => n + p.length / dims, 0);
    const rows = Int32Array.from(members[c]);
    // A coarse cluster with few sample rows gets fewer lists (at least one: its own centroid).
    const k = Math.min(finePer, Math.floor(rows.length / 8));
    parts.push(k >= 2 ? await kmeans(data, dims, rows, k, 8, random) : coarse.slice(c * dims, (c + 1) * dims));
  }
  const fineCount = parts.reduce((n, p) => n + p.length / dims, 0);
  fineStart[coarseCount] = fineCount;
  const fine = new Float32Array(fineCount * dims);
  let at = 0;
  for (const p of parts) {
    fine.set(p, at);
    at += p.length;
  }
  return { dims, coarse, coarseCount, fine, fineCount, fineStart };
}

/** The list of the unit vector at `offset` of `data`: the nearest fine centroid of its nearest coarse cluster. */
export function listOf(q: IvfQuantizer, data: Float32Array, offset = 0): number {
  const c = nearestRow(q.coarse, 0, q.coarseCount, data, offset, q.dims);
  return nearestRow(q.fine, q.fineStart[c], q.fineStart[c + 1] - q.fineStart[c], data, offset, q.dims);
}

/** Every list, most promising first for `query`. */
export function probeOrder(q: IvfQuantizer, query: Float32Array): Int32Array {
  const scores = new Float32Array(q.fineCount);
  for (let l = 0; l < q.fineCount; l++) scores[l] = dotAt(q.fine, l * q.dims, query, q.dims);
  return Int32Array.from({ length: q.fineCount }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
}
