import { listOf, pause, probeOrder, trainQuantizer, type IvfQuantizer } from './ivf-quantizer.js';
import { dotAt, TopK } from './top-k.js';

/** A list of row numbers that grows by doubling. */
class Rows {
  items: Int32Array;
  length = 0;
  constructor(capacity = 8) {
    this.items = new Int32Array(capacity);
  }
  push(row: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = row;
  }
}

export interface VectorQuery {
  /** Only this owner's tracks (null: any owner). */
  ownerCode: number | null;
  exclude?: string;
  minSimilarity: number;
  limit: number;
}

/** How many lists, at least, a query visits (of about √n), and how many in-scope vectors it compares, at least, per wanted hit. */
const MIN_PROBES = 8;
const PROBE_FRACTION = 1 / 32;
const SCAN_PER_HIT = 8;
/** Rows handled between two pauses of an index build. */
export const YIELD_EVERY = 16_384;

/**
 * One tenant's current track vectors (unit length, row-major), with tombstones for removed
 * rows, and, once `index()` has run, an inverted-file index: rows grouped by their nearest
 * centroid, read in that order so a list is one contiguous stretch of memory. Rows added later go
 * to the end of the matrix and into their nearest list; the centroids stay as trained.
 */
export class TenantVectors {
  private data: Float32Array;
  private size = 0;
  private ids: string[] = [];
  private owners: Int32Array;
  private alive: Uint8Array;
  private rowOf = new Map<string, number>();
  private ownerCodes = new Map<string | null, number>();
  private ownerKeys: Array<string | null> = [];
  private ownerRows: Rows[] = [];
  private ownerLive: number[] = [];
  private liveCount = 0;
  private quantizer: IvfQuantizer | null = null;
  private lists: Rows[] = [];
  /** Rows added or removed since the index was trained. */
  churn = 0;
  indexedSize = 0;

  constructor(
    readonly dims: number,
    capacity: number,
  ) {
    this.data = new Float32Array(Math.max(1, capacity) * dims);
    this.owners = new Int32Array(Math.max(1, capacity));
    this.alive = new Uint8Array(Math.max(1, capacity));
  }

  get live(): number {
    return this.liveCount;
  }
  get listCount(): number {
    return this.quantizer?.fineCount ?? 0;
  }
  /** The owner's number, if the owner has any row. */
  ownerCode(owner: string | null): number | undefined {
    return this.ownerCodes.get(owner);
  }
  liveOf(code: number): number {
    return this.ownerLive[code] ?? 0;
  }
  has(trackId: string): boolean {
    return this.rowOf.has(trackId);
  }

  private grow(): void {
    const capacity = this.owners.length * 2;
    const data = new Float32Array(capacity * this.dims);
    data.set(this.data);
    this.data = data;
    const owners = new Int32Array(capacity);
    owners.set(this.owners);
    this.owners = owners;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
  }

  /** Adds (or replaces) a track's unit vector. */
  put(trackId: string, owner: string | null, vector: Float32Array): void {
    this.remove(trackId);
    if (this.size === this.owners.length) this.grow();
    const row = this.size++;
    let code = this.ownerCodes.get(owner);
    if (code === undefined) {
      code = this.ownerRows.length;
      this.ownerCodes.set(owner, code);
      this.ownerKeys.push(owner);
      this.ownerRows.push(new Rows());
      this.ownerLive.push(0);
    }
    this.data.set(vector, row * this.dims);
    this.owners[row] = code;
    this.alive[row] = 1;
    this.ids[row] = trackId;
    this.rowOf.set(trackId, row);
    this.ownerRows[code].push(row);
    this.ownerLive[code]++;
    this.liveCount++;
    if (this.quantizer) {
      this.lists[listOf(this.quantizer, vector)].push(row);
      this.churn++;
    }
  }

  remove(trackId: string): void {
    const row = this.rowOf.get(trackId);
    if (row === undefined) return;
    this.rowOf.delete(trackId);
    this.alive[row] = 0;
    this.ownerLive[this.owners[row]]--;
    this.liveCount--;
    if (this.quantizer) this.churn++;
  }

  /** A copy with the live rows grouped by trained lists of about √n vectors each; yields now and then. */
  async indexed(): Promise<TenantVectors> {
    const { dims } = this;
    const quantizer = await trainQuantizer(this.data, dims, this.size, Math.min(4096, Math.round(Math.sqrt(this.liveCount))));
    const listOfRow = new Int32Array(this.size);
    const starts = new Int32Array(quantizer.fineCount + 1);
    for (let row = 0; row < this.size; row++) {
      if (row % YIELD_EVERY === YIELD_EVERY - 1) await pause();
      if (this.alive[row] === 0) continue;
      listOfRow[row] = listOf(quantizer, this.data, row * dims);
      starts[listOfRow[row] + 1]++;
    }
    for (let l = 0; l < quantizer.fineCount; l++) starts[l + 1] += starts[l];
    // Counting sort by list: each list becomes one run of rows.
    const order = new Int32Array(this.liveCount);
    const next = starts.slice(0, quantizer.fineCount);
    for (let row = 0; row < this.size; row++) if (this.alive[row] === 1) order[next[listOfRow[row]]++] = row;
    const out = new TenantVectors(dims, this.liveCount);
    out.lists = Array.from({ length: quantizer.fineCount }, (_, l) => new Rows(Math.max(8, starts[l + 1] - starts[l])));
    for (let i = 0; i < order.length; i++) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await pause();
      const row = order[i];
      out.lists[listOfRow[row]].push(out.size);
      out.put(this.ids[row], this.ownerKeys[this.owners[row]], this.data.subarray(row * dims, (row + 1) * dims));
    }
    out.quantizer = quantizer;
    out.indexedSize = out.size;
    return out;
  }

  private consider(top: TopK, row: number, query: Float32Array, q: VectorQuery): boolean {
    if (this.alive[row] === 0 || (q.ownerCode !== null && this.owners[row] !== q.ownerCode)) return false;
    const dot = dotAt(this.data, row * this.dims, query, this.dims);
    if (dot >= q.minSimilarity && dot > top.floor && this.ids[row] !== q.exclude) top.push(dot, row);
    return true;
  }

  /** Every live in-scope row compared: exact. */
  exact(query: Float32Array, q: VectorQuery): Array<{ id: string; similarity: number }> {
    const top = new TopK(Math.max(1, q.limit));
    if (q.ownerCode !== null) {
      const rows = this.ownerRows[q.ownerCode];
      for (let i = 0; i < (rows?.length ?? 0); i++) this.consider(top, rows.items[i], query, q);
    } else {
      for (let row = 0; row < this.size; row++) this.consider(top, row, query, q);
    }
    return this.ranked(top);
  }

  /**
   * The lists nearest the query, in order, until at least MIN_PROBES lists (or a 32nd of
   * them, divided by the scope's share of the tenant) and SCAN_PER_HIT × limit in-scope vectors
   * were compared; exact cosine within them.
   */
  approximate(query: Float32Array, q: VectorQuery): Array<{ id: string; similarity: number }> {
    if (!this.quantizer) return this.exact(query, q);
    const top = new TopK(Math.max(1, q.limit));
    const order = probeOrder(this.quantizer, query);
    // An owner holding a share of the tenant needs lists visited in proportion: the same share of
    // their own vectors is compared as for the whole tenant.
    const inScope = q.ownerCode === null ? this.liveCount : this.liveOf(q.ownerCode);
    const share = Math.max(inScope, 1) / Math.max(this.liveCount, 1);
    const probes = Math.ceil(Math.max(MIN_PROBES, order.length * PROBE_FRACTION) / share);
    const wanted = q.limit * SCAN_PER_HIT;
    let compared = 0;
    for (let p = 0; p < order.length && (p < probes || compared < wanted); p++) {
      const list = this.lists[order[p]];
      for (let i = 0; i < list.length; i++) if (this.consider(top, list.items[i], query, q)) compared++;
    }
    return this.ranked(top);
  }

  private ranked(top: TopK): Array<{ id: string; similarity: number }> {
    return top.rows
      .map((row, i) => ({ id: this.ids[row], similarity: Math.max(-1, Math.min(1, top.scores[i])) }))
      .sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
  }
}
