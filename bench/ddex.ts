/**
 * DDEX delivery on the real app (SQLite unless DATABASE_URL says otherwise):
 * - ERN 4.3 messages per second for a 20-track album: the whole message from the catalog
 *   (reads, parties, deals; the masters' facts are read once and kept), and the XML writing alone;
 * - the time to deliver a 12-track album of 5-minute WAVs to a local OpenSSH server over SFTP,
 *   against OpenSSH's `sftp` copying the same files to the same server, as a ratio.
 * Run: npx tsx bench/ddex.ts   (BENCH_DURATION seconds per rate, default 5; BENCH_TRACK_SECONDS,
 * default 300). Needs ffmpeg, /usr/sbin/sshd and sftp. It reports only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildErn } from '../src/services/distribution/ddex/ern-builder.js';
import type { TestApp } from '../test/helpers/app.js';
import { toneBytes } from '../test/helpers/audio.js';
import { hasSshd, startSshd } from '../test/helpers/sshd.js';
import { DDEX_ENV, readyProduct } from '../test/integration/distribution/ddex-fixtures.js';
import { printLine, realApp } from './lib/http.js';
import { seconds, timeSeconds } from './lib/report.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const TRACK_SECONDS = Number(process.env.BENCH_TRACK_SECONDS ?? 300);

const bench = await realApp(DDEX_ENV);
try {
  const c = bench.container;
  const { identity } = c.services;
  const tenant = await identity.createTenant({ name: 'bench', plan: 'label' });
  const user = await identity.findOrCreateUser(tenant.id, { name: 'bench', role: 'owner' });
  const headers = { authorization: `Bearer ${await identity.issueToken(user)}` };
  const t = { app: bench.app } as TestApp;
  const actor = { tenantId: tenant.id, tenantName: tenant.name, plan: tenant.plan, userId: user.id, role: 'owner' as const, entitlements: new Set<string>(), via: 'jwt' as const };

  // 1. Messages per second, 20 tracks.
  const album = await readyProduct(t, headers, { title: 'Bench Album', format: 'Album', tracks: Array.from({ length: 20 }, (_, i) => ({ title: `Track ${i + 1}`, contributors: { composer: [`Writer ${i}`] } })) });
  const { ddex } = c.modules.distribution;
  const first = await ddex.message(actor, album.productId, 'new');
  const rate = async (fn: () => unknown | Promise<unknown>) => {
    let n = 0;
    const end = Date.now() + DURATION * 1000;
    const start = process.hrtime.bigint();
    while (Date.now() < end) {
      await fn();
      n++;
    }
    return n / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  const full = await rate(() => ddex.message(actor, album.productId, 'new'));
  const xmlOnly = await rate(() => buildErn(first.draft.message));
  printLine('ERN 4.3, 20-track album', { 'messages/s from the catalog': full.toFixed(1), 'messages/s XML writing alone': xmlOnly.toFixed(1), 'message bytes': first.xml.length });

  // 2. SFTP delivery of 12 x 5-minute WAVs against OpenSSH's sftp.
  if (!hasSshd()) {
    process.stdout.write('SFTP delivery: skipped, /usr/sbin/sshd is not installed\n');
  } else {
    const wav = toneBytes({ seconds: TRACK_SECONDS, format: 'wav' });
    const twelve = await readyProduct(t, headers, { title: 'Bench Twelve', format: 'Album', audio: wav, tracks: Array.from({ length: 12 }, (_, i) => ({ title: `Long ${i + 1}` })) });
    const sshd = await startSshd();
    try {
      const created = await bench.app.inject({
        method: 'POST', url: '/admin/delivery-providers', headers,
        payload: { name: 'bench-sftp', kind: 'sftp', recipient: { partyId: 'PADPIDA2026120799S', name: 'Bench Store' }, config: { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, path: path.join(sshd.root, 'ledgerline') } },
      });
      if (created.statusCode !== 201) throw new Error(created.body);
      await c.startWorkers();
      // The tracks' own processing (lanes of twelve masters) is not part of a delivery: done before timing.
      await c.queue.onIdle({ timeoutMs: 30 * 60_000 });
      // The masters' facts (MD5, format) are read before timing, as a product delivered for a second time would have them.
      await ddex.message(actor, twelve.productId, 'new');
      const ours = await timeSeconds(async () => {
        const res = await bench.app.inject({ method: 'POST', url: '/product/batch-delivery', headers, payload: { productIds: [twelve.productId], provider: 'bench-sftp' } });
        if (res.statusCode !== 202) throw new Error(res.body);
        await c.queue.onIdle({ timeoutMs: 30 * 60_000 });
      });
      const history = (await bench.app.inject({ url: `/product/${twelve.productId}/deliveries`, headers })).json().data;
      if (history[0]?.status !== 'delivered') throw new Error(`delivery ended ${history[0]?.status}: ${history[0]?.error}`);

      // The same twelve files copied by OpenSSH's client.
      const local = path.join(sshd.root, '..', 'local-copy');
      mkdirSync(local, { recursive: true });
      const batch = [`mkdir ${path.join(sshd.root, 'openssh')}`];
      for (let i = 0; i < 12; i++) {
        writeFileSync(path.join(local, `${i}.wav`), wav);
        batch.push(`put ${path.join(local, `${i}.wav`)} ${path.join(sshd.root, 'openssh', `${i}.wav`)}`);
      }
      writeFileSync(path.join(local, 'batch'), `${batch.join('\n')}\n`);
      const theirs = await timeSeconds(async () =>
        execFileSync('sftp', ['-q', '-b', path.join(local, 'batch'), '-i', sshd.keyFile, '-P', String(sshd.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', `${sshd.username}@${sshd.host}`], { stdio: 'pipe' }),
      );
      const mb = (wav.length * 12) / 1e6;
      printLine(`SFTP delivery, 12 x ${TRACK_SECONDS}s WAV (${mb.toFixed(0)} MB)`, {
        'ledgerline batch': seconds(ours), 'OpenSSH sftp': seconds(theirs), ratio: (ours / theirs).toFixed(2),
        'ledgerline MB/s': (mb / ours).toFixed(1), 'sftp MB/s': (mb / theirs).toFixed(1), files: history[0].files, bytes: history[0].bytes,
      });
    } finally {
      await sshd.close();
    }
  }
} finally {
  await bench.close();
}
