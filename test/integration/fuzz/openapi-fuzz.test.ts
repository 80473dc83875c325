import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { contentTypes, nastyString, operationsOf, rawBody, valueFor, type Operation } from './openapi-arbitraries.js';

/**
 * Property: whatever a client sends to any operation of /openapi.json, the answer is not a 5xx
 * and the process lives on with bounded memory. Requests are generated from each operation's
 * parameters and body schema (boundary values, wrong types, stray and prototype-polluting keys)
 * and from plain hostile input (wrong content types, invalid UTF-8, 10,000-deep JSON, huge
 * arrays). The seed is fixed; FUZZ_RUNS runs more (a nightly-style run), FUZZ_SEED another seed.
 */
/** Percent-encodes any string, lone surrogates included (as U+FFFD, the way a client's UTF-8 encoder sends them). */
const pct = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

describe.each(dialects())('fuzzing every operation of the OpenAPI document (%s)', (dialect) => {
  let t: TestApp;
  let ops: Operation[];
  let owner: Record<string, string>;
  let member: Record<string, string>;
  const realIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    owner = bearer(await t.token({ role: 'owner', entitlements: ['tracks.share', 'search.private'] }));
    member = bearer(await t.token({ user: 'mia', role: 'member' }));
    ops = operationsOf((await t.app.inject('/openapi.json')).json());
    // Real ids too, so generated requests reach the code behind the existence checks.
    const collection = (await t.app.inject({ method: 'POST', url: '/v1/collection', headers: owner, payload: { title: 'Fuzz' } })).json();
    const release = (await t.app.inject({ method: 'POST', url: '/releases', headers: owner, payload: { title: 'Fuzz', displayArtist: 'Fuzz', tracks: [{ title: 'One', displayArtist: 'Fuzz' }] } })).json();
    const artist = (await t.app.inject({ method: 'POST', url: '/artist', headers: owner, payload: { artistName: 'Fuzz' } })).json();
    const asset = (await t.app.inject({ method: 'POST', url: '/asset', headers: owner, payload: { title: 'Fuzz' } })).json();
    realIds.push(...[collection.collection_id, release.data?.id, release.data?.tracks?.[0]?.id, artist.data?.id, asset.data?.id].filter((x): x is string => typeof x === 'string'));
    expect(realIds).toHaveLength(5);
  });
  afterAll(async () => t?.close());

  it(`answers ${dialect === 'sqlite' ? RUNS : Math.ceil(RUNS / 5)} generated requests without a 5xx`, async () => {
    expect(ops.length).toBeGreaterThan(100);
    const runs = dialect === 'sqlite' ? RUNS : Math.ceil(RUNS / 5);
    const segment = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...realIds) }, { weight: 2, arbitrary: nastyString });
    const auth = fc.oneof(
      { weight: 8, arbitrary: fc.constant(owner) },
      { weight: 1, arbitrary: fc.constant(member) },
      { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, bearer('ll_garbage'), bearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'), { authorization: 'Basic Zm9vOmJhcg==' }) },
    );
    const request = fc.constantFrom(...ops).chain((op) =>
      fc.record({
        op: fc.constant(op),
        params: fc.tuple(...op.pathParams.map(() => segment)),
        query: fc.record(Object.fromEntries(op.query.map((q) => [q.name, valueFor(q.schema)])), { requiredKeys: [] }),
        body: op.method === 'GET' || op.method === 'DELETE' ? fc.constant(undefined) : fc.option(rawBody(op.body), { nil: undefined, freq: 8 }),
        contentType: contentTypes,
        auth,
      }),
    );

    const failures: string[] = [];
    let sent = 0;
    const rssBefore = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(request, async ({ op, params, query, body, contentType, auth: headers }) => {
        let i = 0;
        const path = op.path.replace(/\{[^}]+\}/g, () => pct(String(params[i++])).slice(0, 2000));
        const qs = Object.entries(query)
          .map(([k, v]) => `${pct(k)}=${pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '').slice(0, 2000)}`)
          .join('&');
        const res = await t.app.inject({
          method: op.method as 'GET',
          url: qs ? `${path}?${qs}` : path,
          headers: { ...headers, ...(body !== undefined && contentType ? { 'content-type': contentType } : {}) },
          ...(body !== undefined ? { payload: body } : {}),
        });
        sent++;
        if (res.statusCode >= 500) failures.push(`${op.method} ${op.path} -> ${res.statusCode} ${res.body.slice(0, 200)} body=${String(body).slice(0, 120)}`);
        return res.statusCode < 500;
      }),
      { numRuns: runs, seed: SEED, endOnFailure: true, verbose: 0 },
    );
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(runs);
    // Alive and answering, with memory that did not run away.
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    const growthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(growthMb).toBeLessThan(768);
  }, 600_000);
});
