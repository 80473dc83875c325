/**
 * Authentication overhead: an authenticated JSON route of the real app (`GET /whoami`: bearer
 * JWT verified, actor resolved, JSON built) vs a bare Fastify route returning the same body, in
 * one run. Target: ratio >= 0.6. Also reported: `GET /admin/tenant`, which adds a role check and
 * a database read to the same authentication.
 */
import { bareServer, load, printLine, realApp } from './lib/http.js';
import os from 'node:os';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);

const bench = await realApp();
try {
  const tenant = await bench.container.services.identity.createTenant({ name: 'bench' });
  const user = await bench.container.services.identity.ensureUser(tenant.id, { name: 'admin', role: 'admin' });
  const token = await bench.container.services.identity.issueToken(user);
  const headers = { authorization: `Bearer ${token}` };
  for (const route of ['/whoami', '/admin/tenant']) {
    const sample = await fetch(`${bench.base}${route}`, { headers });
    if (sample.status !== 200) throw new Error(`${route} answered ${sample.status}`);
    const bare = await bareServer(await sample.text());
    try {
      await load(bare.url, { duration: 1 });
      await load(`${bench.base}${route}`, { duration: 1, headers });
      const base = await load(bare.url, { duration: DURATION });
      const real = await load(`${bench.base}${route}`, { duration: DURATION, headers });
      if (real.non2xx || real.errors) throw new Error(`${route} had ${real.non2xx} non-2xx and ${real.errors} errors`);
      printLine(`auth-overhead ${route}`, {
        'ledgerline req/s': real.rps.toFixed(0),
        'bare req/s': base.rps.toFixed(0),
        ratio: (real.rps / base.rps).toFixed(2),
        ...(route === '/whoami' ? { target: '>= 0.60' } : {}),
        'p99 ms': `${real.p99} vs ${base.p99}`,
        load: os.loadavg()[0].toFixed(1),
      });
    } finally {
      await bare.close();
    }
  }
} finally {
  await bench.close();
}
