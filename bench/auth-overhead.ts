/**
 * An authenticated JSON route of the real app (JWT verified, actor resolved, tenant read)
 * vs a bare Fastify route returning the same body, in one run. Target: ratio >= 0.6.
 */
import { bareServer, load, printLine, realApp } from './lib/http.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);

const bench = await realApp();
try {
  const tenant = await bench.container.services.identity.createTenant({ name: 'bench' });
  const user = await bench.container.services.identity.ensureUser(tenant.id, { name: 'admin', role: 'admin' });
  const token = await bench.container.services.identity.issueToken(user);
  const headers = { authorization: `Bearer ${token}` };
  const sample = await fetch(`${bench.base}/admin/tenant`, { headers });
  if (sample.status !== 200) throw new Error(`authenticated route answered ${sample.status}`);
  const body = await sample.text();
  const bare = await bareServer(body);
  try {
    await load(bare.url, { duration: 1 });
    await load(`${bench.base}/admin/tenant`, { duration: 1, headers });
    const base = await load(bare.url, { duration: DURATION });
    const real = await load(`${bench.base}/admin/tenant`, { duration: DURATION, headers });
    if (real.non2xx || real.errors) throw new Error(`authenticated run had ${real.non2xx} non-2xx and ${real.errors} errors`);
    printLine('auth-overhead', {
      'ledgerline req/s': real.rps.toFixed(0),
      'bare req/s': base.rps.toFixed(0),
      ratio: (real.rps / base.rps).toFixed(2),
      target: '>= 0.60',
      'p99 ms': `${real.p99} vs ${base.p99}`,
    });
  } finally {
    await bare.close();
  }
} finally {
  await bench.close();
}
