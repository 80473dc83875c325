/**
 * Royalti distribution writes on the real app (SQLite unless DATABASE_URL says otherwise):
 * - `POST /releases/{id}/tracks/reorder` on a 100-track release, alternating two orders so every
 *   request really renumbers (lock, check the permutation, two-phase renumber, answer all tracks);
 * - `PUT /product/{id}` as multipart/form-data with the fields of the contract's example.
 * Each against a bare Fastify route returning a JSON body of the same size, in the same run.
 * Run: npx tsx bench/distribution.ts   (BENCH_DURATION seconds per run, default 5). It reports only.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { bareServer, printLine, realApp, type LoadResult } from './lib/http.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 10;

async function drive(url: string, requests: Array<{ method: 'POST' | 'PUT' | 'GET'; body?: string | Buffer; headers?: Record<string, string> }>, duration: number): Promise<LoadResult> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration, requests: requests.map((q) => ({ ...q, body: q.body as string | undefined })) });
  return { rps: r.requests.average, p50: r.latency.p50, p95: r.latency.p97_5 ?? r.latency.p99, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

function formBody(fields: Array<[string, string]>): { body: Buffer; contentType: string } {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

const PRODUCT_FORM: Array<[string, string]> = [
  ['title', 'Summer Vibes'], ['id', 'PROD-001'], ['upc', '123456789012'], ['catalogNumber', 'CAT-2024-001'], ['externalId', 'EXT-12345'],
  ['displayArtist', 'John Doe feat. Jane Smith'], ['type', 'Audio'], ['version', 'Deluxe Edition'], ['explicit', 'clean'], ['releaseDate', '2024-06-15'],
  ['takedownDate', '2024-12-31'], ['mainGenre', 'Pop'], ['subGenre', 'Dance Pop'], ['status', 'Pending'], ['distribution', '{}'],
  ['contributors', '{"name":"Max","role":"Producer","share":50}'], ['metadata', '{}'], ['chartHistory', '{"chart":"Billboard Hot 100","position":10,"date":"2024-01-15"}'],
  ['totalTracks', '12'], ['totalDiscs', '1'], ['packageType', 'Digital Album'], ['edition', 'Deluxe Edition'], ['reissue', 'false'],
  ['originalReleaseDate', '2020-06-15'], ['recordingLocation', 'Abbey Road Studios, London'], ['masteringLocation', 'Sterling Sound, New York'],
  ['producer[0]', 'Max Martin'], ['producer[1]', 'Shellback'], ['engineer[0]', 'John Smith'], ['engineer[1]', 'Jane Doe'], ['sequenceNumber', '5'],
  ['parentReleaseId', '550e8400-e29b-41d4-a716-446655440000'], ['language', 'en'], ['c_line_year', '2024'], ['p_line_year', '2024'],
  ['artists[0]', '{"id":"artist-123","type":"primary"}'], ['artists[1]', '{"id":"artist-456","type":"featuring"}'],
  ['assets[0]', '{"asset":"asset-789","number":1}'], ['assets[1]', '{"asset":"asset-790","number":2}'], ['media', '<string>'],
];

async function compare(name: string, url: string, requests: Parameters<typeof drive>[1], sample: string): Promise<void> {
  const bare = await bareServer(sample);
  try {
    await drive(bare.url, [{ method: 'GET' }], 1);
    await drive(url, requests, 1);
    const base = await drive(bare.url, [{ method: 'GET' }], DURATION);
    const real = await drive(url, requests, DURATION);
    printLine(name, {
      'ledgerline req/s': real.rps.toFixed(0),
      'bare req/s': base.rps.toFixed(0),
      ratio: (real.rps / base.rps).toFixed(3),
      'p50/p99 ms': `${real.p50}/${real.p99} vs ${base.p50}/${base.p99}`,
      'body bytes': sample.length,
      ...(real.non2xx || real.errors ? { 'non-2xx': real.non2xx, errors: real.errors } : {}),
    });
  } finally {
    await bare.close();
  }
}

const bench = await realApp();
try {
  const { identity } = bench.container.services;
  const tenant = await identity.createTenant({ name: 'bench', plan: 'pro' });
  const user = await identity.findOrCreateUser(tenant.id, { name: 'admin', role: 'admin' });
  const auth = { authorization: `Bearer ${await identity.issueToken(user)}` };
  const json = { ...auth, 'content-type': 'application/json' };

  const tracks = Array.from({ length: 100 }, (_, i) => ({ title: `Track ${i + 1}`, displayArtist: 'Bench Artist', isrc: `QZBEN25${String(i).padStart(5, '0')}` }));
  const created = await fetch(`${bench.base}/releases`, { method: 'POST', headers: json, body: JSON.stringify({ title: 'Bench Album', artists: { 'Bench Artist': 'primary' }, tracks }) });
  if (created.status !== 201) throw new Error(`creating the release answered ${created.status}: ${await created.text()}`);
  const release = (await created.json()).data as { id: string; tracks: Array<{ id: string }> };
  const ids = release.tracks.map((t) => t.id);
  const forward = JSON.stringify({ trackOrder: ids });
  const backward = JSON.stringify({ trackOrder: [...ids].reverse() });
  const reorderUrl = `${bench.base}/releases/${release.id}/tracks/reorder`;
  const sample = await fetch(reorderUrl, { method: 'POST', headers: json, body: backward });
  if (sample.status !== 200) throw new Error(`reorder answered ${sample.status}: ${await sample.text()}`);
  await compare('distribution reorder (100 tracks)', reorderUrl, [
    { method: 'POST', body: forward, headers: json },
    { method: 'POST', body: backward, headers: json },
  ], await sample.text());

  const product = await fetch(`${bench.base}/product`, { method: 'POST', headers: json, body: JSON.stringify({ title: 'Bench Product' }) });
  if (product.status !== 201) throw new Error(`creating the product answered ${product.status}`);
  const productId = (await product.json()).data.id as string;
  const form = formBody(PRODUCT_FORM);
  const formHeaders = { ...auth, 'content-type': form.contentType };
  const putUrl = `${bench.base}/product/${productId}`;
  const first = await fetch(putUrl, { method: 'PUT', headers: formHeaders, body: new Uint8Array(form.body) });
  if (first.status !== 200) throw new Error(`PUT /product answered ${first.status}: ${await first.text()}`);
  await compare('distribution PUT /product multipart', putUrl, [{ method: 'PUT', body: form.body, headers: formHeaders }], await first.text());
} finally {
  await bench.close();
}
