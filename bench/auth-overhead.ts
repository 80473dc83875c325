/**
 * Authentication overhead: an authenticated JSON route of the real app (`GET /whoami`: bearer
 * JWT verified, actor resolved, JSON built) vs a bare Fastify route returning the same body, in
 * one run. Target: ratio >= 0.6. Also reported: `GET /admin/tenant`, which adds a role check and
 * a database read to the same authentication. Throughput is the median of three alternating rounds.
 */
import { bareServer, benchApp, compare, load, printLine } from './lib/http.js';
import os from 'node:os';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);

const bench = await benchApp();
try {
  const tenant = await bench.container.services.identity.createTenant({ name: 'bench' });
  const user = await bench.container.services.identity.findOrCreateUser(tenant.id, { name: 'admin', role: 'admin' });
  const token = await bench.container.services.identity.issueToken(user);
  const headers = { authorization: `Bearer ${token}` };
  for (const route of ['/whoami', '/admin/tenant']) {
    const sample = await fetch(`${bench.base}${route}`, { headers });
    if (sample.status !== 200) throw new Error(`${route} answered ${sample.status}`);
    const bare = await bareServer(await sample.text());
    try {
      await load(bare.url, { duration: 1 });
      await load(`${bench.base}${route}`, { duration: 1, headers });
      const run = await compare(bare.url, `${bench.base}${route}`, { duration: DURATION, headers });
      printLine(`auth-overhead ${route}`, {
        'ledgerline req/s': run.subject.rps.toFixed(0),
        'bare req/s': run.baseline.rps.toFixed(0),
        ratio: run.ratio.toFixed(2),
        ...(route === '/whoami' ? { target: '>= 0.60' } : {}),
        rounds: run.ratios.map((r) => r.toFixed(2)).join('/'),
        'p99 ms': `${run.subject.p99} vs ${run.baseline.p99}`,
        load: os.loadavg()[0].toFixed(1),
      });
    } finally {
      await bare.close();
    }
  }
} finally {
  await bench.close();
}
