import { describe, expect, it } from 'vitest';
import { TenantVectors } from './tenant-vectors.js';

/** Deterministic unit vectors in `clusters` groups. */
function clustered(count: number, dims: number, clusters: number, seed = 1): Float32Array[] {
  let s = seed;
  const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Array.from({ length: clusters }, () => Array.from({ length: dims }, gauss));
  return Array.from({ length: count }, (_, i) => {
    const v = Float32Array.from(centers[i % clusters], (x) => x + 0.4 * gauss());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('tenant vectors', () => {
  const vectors = clustered(3000, 12, 30);
  const query = (limit: number, ownerCode: number | null = null) => ({ ownerCode, minSimilarity: -Infinity, limit });

  it('answers from the index as the exact scan does, visiting a fraction of the rows', async () => {
    const flat = new TenantVectors(12, 16);
    vectors.forEach((v, i) => flat.put(`t${i}`, i % 3 === 0 ? 'bob' : 'alice', v));
    const indexed = await flat.indexed();
    expect(indexed.listCount).toBeGreaterThan(30);
    expect(indexed.live).toBe(3000);
    for (let i = 0; i < 3000; i += 211) {
      const exact = indexed.exact(vectors[i], { ...query(10), exclude: `t${i}` });
      const approximate = indexed.approximate(vectors[i], { ...query(10), exclude: `t${i}` });
      expect(approximate.map((h) => h.id).sort()).toEqual(exact.map((h) => h.id).sort());
      expect(exact.map((h) => h.id)).not.toContain(`t${i}`);
      const bob = indexed.ownerCode('bob')!;
      const bobs = indexed.approximate(vectors[i], query(10, bob));
      expect(bobs.every((h) => Number(h.id.slice(1)) % 3 === 0)).toBe(true);
      // A third of each visited list is in scope, so an owner's answer may miss an odd neighbour.
      const truth = new Set(indexed.exact(vectors[i], query(10, bob)).map((h) => h.id));
      expect(bobs.filter((h) => truth.has(h.id)).length).toBeGreaterThanOrEqual(9);
    }
  });

  it('finds rows added after training and forgets removed ones', async () => {
    const flat = new TenantVectors(12, 3000);
    vectors.forEach((v, i) => flat.put(`t${i}`, null, v));
    const indexed = await flat.indexed();
    const target = vectors[5];
    const best = indexed.approximate(target, query(1))[0];
    expect(best.id).toBe('t5');
    indexed.remove('t5');
    expect(indexed.approximate(target, query(5)).map((h) => h.id)).not.toContain('t5');
    indexed.put('late', null, target);
    expect(indexed.approximate(target, query(1))[0]).toMatchObject({ id: 'late' });
    // Replacing a vector moves the track: it is no longer found where it was.
    indexed.put('late', null, vectors[6]);
    expect(indexed.approximate(target, query(1))[0].id).not.toBe('late');
    expect(indexed.live).toBe(3000);
    expect(indexed.churn).toBe(4);
  });
});
