import { describe, expect, it } from 'vitest';
import { createFreshCache } from './fresh-cache.js';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('fresh cache', () => {
  it('shares one load between requests that miss together under the same fingerprint', async () => {
    const cache = createFreshCache();
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const both = Promise.all([cache.get('t', 'k', 'f1', load), cache.get('t', 'k', 'f1', load)]);
    gate.resolve('page');
    expect(await both).toEqual(['page', 'page']);
    expect(loads).toBe(1);
    // Another fingerprint is another state of the tenant: loaded again.
    expect(await cache.get('t', 'k', 'f2', async () => 'newer')).toBe('newer');
  });

  it('does not keep, or share, a load that began before the tenant was invalidated', async () => {
    const cache = createFreshCache();
    const gate = deferred<string>();
    const early = cache.get('t', 'k', 'f1', () => gate.promise);
    cache.invalidate('t');
    // Joins nothing: the write may have changed what the early load is reading.
    const late = cache.get('t', 'k', 'f1', async () => 'after the write');
    gate.resolve('before the write');
    expect(await early).toBe('before the write');
    expect(await late).toBe('after the write');
    expect(await cache.get('t', 'k', 'f1', async () => 'read again')).toBe('after the write');
  });
});
