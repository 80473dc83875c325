import type { EmbeddingRepository } from '../../repositories/workspace/embedding.repository.js';

interface TenantMatrix {
  dims: number;
  ids: string[];
  /** Row numbers per owner, so an owner-scoped search only reads that owner's vectors. */
  byOwner: Map<string | null, Int32Array>;
  /** Row-major, one L2-normalised vector per track. */
  data: Float32Array;
  fingerprint: string;
  loadedAt: number;
}

export interface SimilarHit {
  id: string;
  similarity: number;
}

/** A base64 Float32Array (little-endian, as the embeddings lane writes it), L2-normalised; null when unusable. */
export function decodeVector(base64: string, dims: number): Float32Array | null {
  const bytes = Buffer.from(base64, 'base64');
  if (dims <= 0 || bytes.length < dims * 4) return null;
  const v = new Float32Array(dims);
  new Uint8Array(v.buffer).set(bytes.subarray(0, dims * 4));
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += v[i] * v[i];
  if (!(norm > 0) || !Number.isFinite(norm)) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i] *= inv;
  return v;
}

/** Keeps the k best (highest) scores seen; a binary min-heap over parallel arrays. */
class TopK {
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

/**
 * Cosine similarity over every current track vector of a tenant, held in memory as one matrix.
 * A search first compares the newest vector timestamp with the cached one (a single index probe)
 * and reloads when vectors were added or replaced, wherever that happened; this process's own
 * changes (deleted tracks, promoted versions) invalidate directly. Results are always re-checked
 * against the database by the caller, so a stale row can cost ranking accuracy, never a leak.
 */
export function createSimilarityIndex(repo: EmbeddingRepository, opts: { maxAgeMs?: number } = {}) {
  const maxAgeMs = opts.maxAgeMs ?? 5 * 60_000;
  const cache = new Map<string, TenantMatrix>();
  const loading = new Map<string, Promise<TenantMatrix>>();

  async function load(tenantId: string, fingerprint: string): Promise<TenantMatrix> {
    const rows = await repo.currentVectors(tenantId);
    const dimsCount = new Map<number, number>();
    for (const r of rows) dimsCount.set(r.dims, (dimsCount.get(r.dims) ?? 0) + 1);
    const dims = [...dimsCount].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const data = new Float32Array(rows.length * dims);
    const ids: string[] = [];
    const rowsOf = new Map<string | null, number[]>();
    for (const r of rows) {
      if (r.dims !== dims) continue;
      const v = decodeVector(r.vector, dims);
      if (!v) continue;
      data.set(v, ids.length * dims);
      const list = rowsOf.get(r.ownerUserId) ?? [];
      list.push(ids.length);
      rowsOf.set(r.ownerUserId, list);
      ids.push(r.trackId);
    }
    const byOwner = new Map([...rowsOf].map(([owner, list]) => [owner, Int32Array.from(list)]));
    return { dims, ids, byOwner, data: data.subarray(0, ids.length * dims), fingerprint, loadedAt: Date.now() };
  }

  async function matrix(tenantId: string): Promise<TenantMatrix> {
    const fingerprint = await repo.fingerprint(tenantId);
    const hit = cache.get(tenantId);
    if (hit && hit.fingerprint === fingerprint && Date.now() - hit.loadedAt < maxAgeMs) return hit;
    let pending = loading.get(tenantId);
    if (!pending) {
      pending = load(tenantId, fingerprint).finally(() => loading.delete(tenantId));
      loading.set(tenantId, pending);
    }
    const m = await pending;
    cache.set(tenantId, m);
    return m;
  }

  /** The `limit` most similar tracks visible to `ownerUserId` (null: any owner), best first. */
  async function nearest(
    tenantId: string,
    query: Float32Array,
    o: { ownerUserId: string | null; exclude?: string; minSimilarity?: number; limit: number },
  ): Promise<SimilarHit[]> {
    const m = await matrix(tenantId);
    if (m.dims !== query.length || m.ids.length === 0) return [];
    const { dims, data, ids } = m;
    const only = o.ownerUserId !== null ? m.byOwner.get(o.ownerUserId) : undefined;
    if (o.ownerUserId !== null && !only) return [];
    const count = only ? only.length : ids.length;
    const min = o.minSimilarity ?? -Infinity;
    const top = new TopK(Math.max(1, o.limit));
    const tail = dims - (dims % 4);
    for (let i = 0; i < count; i++) {
      const row = only ? only[i] : i;
      const off = row * dims;
      // Four running sums keep the multiply-adds independent, which roughly triples throughput.
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      for (let j = 0; j < tail; j += 4) {
        a += data[off + j] * query[j];
        b += data[off + j + 1] * query[j + 1];
        c += data[off + j + 2] * query[j + 2];
        d += data[off + j + 3] * query[j + 3];
      }
      for (let j = tail; j < dims; j++) a += data[off + j] * query[j];
      const dot = a + b + c + d;
      if (dot < min || dot <= top.floor) continue;
      if (ids[row] === o.exclude) continue;
      top.push(dot, row);
    }
    return top.rows
      .map((row, i) => ({ id: ids[row], similarity: Math.max(-1, Math.min(1, top.scores[i])) }))
      .sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
  }

  return {
    nearest,
    invalidate: (tenantId: string) => void cache.delete(tenantId),
    /** Warms a tenant's matrix (benchmarks, start-up). */
    warm: async (tenantId: string) => void (await matrix(tenantId)),
  };
}
export type SimilarityIndex = ReturnType<typeof createSimilarityIndex>;
