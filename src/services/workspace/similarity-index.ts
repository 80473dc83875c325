import type { EmbeddingRepository, TenantVectorRow } from '../../repositories/workspace/embedding.repository.js';
import { pause } from './ivf-quantizer.js';
import { TenantVectors, YIELD_EVERY } from './tenant-vectors.js';

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

interface Loaded {
  vectors: TenantVectors;
  /** The newest vector timestamp this state has read up to (see `EmbeddingRepository.fingerprint`). */
  fingerprint: string;
  loadedAt: number;
  loadMs: number;
  trainMs: number;
}

interface Slot {
  current?: Loaded;
  /** Tracks changed by this process since the state was read: re-read before the next search. */
  pending: Set<string>;
  /** Changes made while a background rebuild reads, to replay on the rebuilt state. */
  touched?: Set<string>;
  rebuilding?: Promise<void>;
  /** Updates of one tenant's state run one at a time. */
  queue: Promise<unknown>;
}

/** Rows added or removed since training, as a share of the trained size, after which the index is trained again. */
const MAX_CHURN = 0.5;

/**
 * Cosine similarity over every current track vector of a tenant, held in memory. Below
 * `indexMinTracks` vectors in scope a search compares all of them (exact); from there it visits
 * the nearest lists of an inverted-file index (k-means centroids, exact cosine within the lists).
 *
 * Freshness: each search compares the newest vector timestamp with the one read (a single index
 * probe) and reads only the vectors written since; this process's own changes to a track
 * (deletion, promoted or removed versions, new owner) re-read that track before the next search.
 * The whole state is read again after `maxAgeMs`; an indexed tenant's after `indexedMaxAgeMs` or
 * once churn passes half the trained size, in the background, the old state serving meanwhile
 * (the build pauses every few thousand rows so other requests are served too). Results are always
 * re-checked against the database by the caller, so a stale row can cost ranking, never a leak.
 */
export function createSimilarityIndex(repo: EmbeddingRepository, opts: { maxAgeMs?: number; indexedMaxAgeMs?: number; indexMinTracks?: number } = {}) {
  const maxAgeMs = opts.maxAgeMs ?? 5 * 60_000;
  // Reading and training a million vectors costs tens of seconds of CPU: not every five minutes.
  const indexedMaxAgeMs = opts.indexedMaxAgeMs ?? 60 * 60_000;
  const indexMinTracks = opts.indexMinTracks ?? 50_000;
  const slots = new Map<string, Slot>();

  const slotOf = (tenantId: string): Slot => {
    let slot = slots.get(tenantId);
    if (!slot) slots.set(tenantId, (slot = { pending: new Set(), queue: Promise.resolve() }));
    return slot;
  };
  const serially = <T>(slot: Slot, run: () => Promise<T>): Promise<T> => {
    const next = slot.queue.then(run);
    slot.queue = next.catch(() => undefined);
    return next;
  };

  async function put(vectors: TenantVectors, rows: TenantVectorRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await pause();
      const r = rows[i];
      const v = r.dims === vectors.dims ? decodeVector(r.vector, r.dims) : null;
      if (v) vectors.put(r.trackId, r.ownerUserId, v);
    }
  }

  async function load(tenantId: string, fingerprint: string): Promise<Loaded> {
    const started = Date.now();
    const rows = await repo.currentVectors(tenantId);
    const dimsCount = new Map<number, number>();
    for (const r of rows) dimsCount.set(r.dims, (dimsCount.get(r.dims) ?? 0) + 1);
    const dims = [...dimsCount].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    let vectors = new TenantVectors(dims, rows.length);
    await put(vectors, rows);
    const loaded = Date.now();
    if (vectors.live >= indexMinTracks) vectors = await vectors.indexed();
    return { vectors, fingerprint, loadedAt: Date.now(), loadMs: loaded - started, trainMs: Date.now() - loaded };
  }

  function rebuildInBackground(tenantId: string, slot: Slot): void {
    if (slot.rebuilding) return;
    slot.touched = new Set();
    slot.rebuilding = (async () => {
      const fresh = await load(tenantId, await repo.fingerprint(tenantId));
      await serially(slot, async () => {
        for (const id of slot.touched ?? []) slot.pending.add(id);
        slot.current = fresh;
      });
    })()
      .catch(() => undefined)
      .finally(() => {
        slot.touched = undefined;
        slot.rebuilding = undefined;
      });
  }

  async function state(tenantId: string): Promise<Loaded> {
    const fingerprint = await repo.fingerprint(tenantId);
    const slot = slotOf(tenantId);
    return serially(slot, async () => {
      const s = slot.current;
      const expired = !s || Date.now() - s.loadedAt >= maxAgeMs;
      // A state with no vectors yet has no dimension either: read it whole once vectors appear.
      if (!s || (expired && s.vectors.listCount === 0) || (s.vectors.live === 0 && fingerprint !== s.fingerprint)) {
        slot.pending.clear();
        slot.current = await load(tenantId, fingerprint);
        return slot.current;
      }
      if (fingerprint !== s.fingerprint) {
        await put(s.vectors, await repo.currentVectorsSince(tenantId, s.fingerprint));
        s.fingerprint = fingerprint;
      }
      if (slot.pending.size) {
        const ids = [...slot.pending];
        slot.pending.clear();
        for (const id of ids) s.vectors.remove(id);
        await put(s.vectors, await repo.currentVectorsOf(tenantId, ids));
      }
      const { vectors } = s;
      const stale =
        vectors.listCount > 0
          ? Date.now() - s.loadedAt >= indexedMaxAgeMs || vectors.churn > MAX_CHURN * vectors.indexedSize
          : vectors.live >= indexMinTracks;
      if (stale) rebuildInBackground(tenantId, slot);
      return s;
    });
  }

  /** The `limit` most similar tracks visible to `ownerUserId` (null: any owner), best first; `exact` compares every vector. */
  async function nearest(
    tenantId: string,
    query: Float32Array,
    o: { ownerUserId: string | null; exclude?: string; minSimilarity?: number; limit: number; exact?: boolean },
  ): Promise<SimilarHit[]> {
    const { vectors } = await state(tenantId);
    if (vectors.dims !== query.length || vectors.live === 0) return [];
    const ownerCode = o.ownerUserId !== null ? vectors.ownerCode(o.ownerUserId) : null;
    if (ownerCode === undefined) return [];
    const inScope = ownerCode === null ? vectors.live : vectors.liveOf(ownerCode);
    const q = { ownerCode, exclude: o.exclude, minSimilarity: o.minSimilarity ?? -Infinity, limit: o.limit };
    return o.exact || inScope < indexMinTracks ? vectors.exact(query, q) : vectors.approximate(query, q);
  }

  return {
    nearest,
    /** Forgets a tenant's vectors, or, given a track, re-reads that track's before the next search. */
    invalidate(tenantId: string, trackId?: string): void {
      const slot = slotOf(tenantId);
      if (trackId === undefined) {
        slot.current = undefined;
        return;
      }
      slot.pending.add(trackId);
      slot.touched?.add(trackId);
    },
    /** Reads (and indexes) a tenant's vectors ahead of its first search: benchmarks, start-up. */
    warm: async (tenantId: string) => void (await state(tenantId)),
    /** What is held for a tenant: vectors, lists (0: searched by full scan) and how long the last full read took. */
    stats(tenantId: string): { tracks: number; lists: number; loadMs: number; trainMs: number } | undefined {
      const s = slots.get(tenantId)?.current;
      return s && { tracks: s.vectors.live, lists: s.vectors.listCount, loadMs: s.loadMs, trainMs: s.trainMs };
    },
  };
}
export type SimilarityIndex = ReturnType<typeof createSimilarityIndex>;
