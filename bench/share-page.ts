/**
 * The private share page `/s/:token` of the real app under 50 concurrent clients (time to first
 * byte and HTML size) vs a bare Fastify route serving the same HTML from memory, in one run;
 * then the same page revalidated (If-None-Match with its ETag: 304, still a counted view).
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { bareServer, benchApp, load, printLine } from './lib/http.js';
import { makeTone } from '../test/helpers/audio.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const bench = await benchApp();
try {
  const c = bench.container;
  const tenant = await c.services.identity.createTenant({ name: 'bench' });
  const user = await c.services.identity.findOrCreateUser(tenant.id, { name: 'owner', role: 'owner' });
  const token = await c.services.identity.issueToken(user);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const bytes = readFileSync(makeTone({ seconds: 10, format: 'mp3' }));
  const intent = await (await fetch(`${bench.base}/api/swayzio/v1/uploads`, { method: 'POST', headers: auth, body: JSON.stringify({ fileName: 'Share Bench.mp3', contentType: 'audio/mpeg', byteSize: bytes.length }) })).json();
  await fetch(intent.signedUrl, { method: 'PUT', headers: intent.requiredHeaders, body: new Uint8Array(bytes) });
  await fetch(`${bench.base}${new URL(intent.finalizeUrl, bench.base).pathname}`, { method: 'POST', headers: { authorization: auth.authorization } });
  await c.startWorkers();
  await c.queue.onIdle({ timeoutMs: 120_000 });
  const link = await (await fetch(`${bench.base}/api/swayzio/v1/tracks/${intent.trackId}/share-links`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'bench' }) })).json();
  const url = `${bench.base}${link.sharePath}`;
  const first = await fetch(url);
  const html = await first.text();
  const etag = first.headers.get('etag');
  if (!etag || (await fetch(url, { headers: { 'if-none-match': etag } })).status !== 304) throw new Error('the share page does not answer 304 to its ETag');
  const bare = await bareServer(html, 'text/html; charset=utf-8');
  try {
    await load(bare.url, { duration: 1, connections: 50 });
    await load(url, { duration: 1, connections: 50 });
    const base = await load(bare.url, { duration: DURATION, connections: 50 });
    const real = await load(url, { duration: DURATION, connections: 50 });
    if (real.non2xx || real.errors) throw new Error(`share page had ${real.non2xx} non-2xx and ${real.errors} errors`);
    printLine('share-page /s/:token (50 clients)', {
      'ledgerline req/s': real.rps.toFixed(0),
      'bare req/s': base.rps.toFixed(0),
      ratio: (real.rps / base.rps).toFixed(2),
      'latency p50/p99 ms': `${real.p50}/${real.p99} vs ${base.p50}/${base.p99}`,
      'html bytes': Buffer.byteLength(html),
      load: os.loadavg()[0].toFixed(1),
    });
    const revalidated = await load(url, { duration: DURATION, connections: 50, headers: { 'if-none-match': etag } });
    if (revalidated.errors) throw new Error(`revalidated share page had ${revalidated.errors} errors`);
    printLine('share-page /s/:token revalidated, 304 (50 clients)', {
      'ledgerline req/s': revalidated.rps.toFixed(0),
      'bare req/s': base.rps.toFixed(0),
      ratio: (revalidated.rps / base.rps).toFixed(2),
      'latency p50/p99 ms': `${revalidated.p50}/${revalidated.p99} vs ${base.p50}/${base.p99}`,
    });
  } finally {
    await bare.close();
  }
} finally {
  await bench.close();
}
