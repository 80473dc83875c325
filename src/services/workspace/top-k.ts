/** Keeps the k best (highest) scores seen; a binary min-heap over parallel arrays. */
export class TopK {
  readonly scores: number[] = [];
  readonly rows: number[] = [];
  constructor(readonly k: number) {}
  get floor(): number {
    return this.scores.length < this.k ? -Infinity : this.scores[0];
  }
  push(score: number, row: number): void {
    const { scores, rows } = this;
    if (scores.length < this.k) {
      scores.push(score);
      rows.push(row);
      let i = scores.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (scores[p] <= scores[i]) break;
        [scores[p], scores[i]] = [scores[i], scores[p]];
        [rows[p], rows[i]] = [rows[i], rows[p]];
        i = p;
      }
      return;
    }
    if (score <= scores[0]) return;
    scores[0] = score;
    rows[0] = row;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < scores.length && scores[l] < scores[m]) m = l;
      if (r < scores.length && scores[r] < scores[m]) m = r;
      if (m === i) break;
      [scores[m], scores[i]] = [scores[i], scores[m]];
      [rows[m], rows[i]] = [rows[i], rows[m]];
      i = m;
    }
  }
}

/** Dot product of `dims` values of `data` from `offset` with `query`. */
export function dotAt(data: Float32Array, offset: number, query: Float32Array, dims: number): number {
  // Four running sums keep the multiply-adds independent, which roughly triples throughput.
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const tail = dims - (dims % 4);
  for (let j = 0; j < tail; j += 4) {
    a += data[offset + j] * query[j];
    b += data[offset + j + 1] * query[j + 1];
    c += data[offset + j + 2] * query[j + 2];
    d += data[offset + j + 3] * query[j + 3];
  }
  for (let j = tail; j < dims; j++) a += data[offset + j] * query[j];
  return a + b + c + d;
}

/**
 * The row of `centroids` (row-major, `count` rows from row `first`) with the highest dot product
 * with the vector at `offset` of `data`; the dot product is written out here because this loop
 * runs for every vector of an index build.
 */
export function nearestRow(centroids: Float32Array, first: number, count: number, data: Float32Array, offset: number, dims: number): number {
  let best = first;
  let bestScore = -Infinity;
  const tail = dims - (dims % 4);
  for (let c = first, off = first * dims; c < first + count; c++, off += dims) {
    let a = 0;
    let b = 0;
    let e = 0;
    let d = 0;
    for (let j = 0; j < tail; j += 4) {
      a += centroids[off + j] * data[offset + j];
      b += centroids[off + j + 1] * data[offset + j + 1];
      e += centroids[off + j + 2] * data[offset + j + 2];
      d += centroids[off + j + 3] * data[offset + j + 3];
    }
    for (let j = tail; j < dims; j++) a += centroids[off + j] * data[offset + j];
    const score = a + b + e + d;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
