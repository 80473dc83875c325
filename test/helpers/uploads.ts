import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from './app.js';
import { injectPath } from './audio.js';
import type { UploadIntent } from '../../src/services/upload.service.js';

/** PUTs bytes to an intent's signed URL: through the app for the local store, over HTTP for S3. */
export async function putBytes(t: TestApp, intent: UploadIntent, bytes: Buffer): Promise<number> {
  const { url, headers } = intent.signed;
  if (url.startsWith(t.config.publicUrl)) {
    const res = await t.app.inject({ method: 'PUT', url: injectPath(url), headers, payload: bytes });
    return res.statusCode;
  }
  const res = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(bytes) });
  await res.arrayBuffer();
  return res.status;
}

/** Creates an audio upload on a new track for a user of tenant `acme`, PUTs the file and finalizes it. */
export async function uploadAudio(t: TestApp, file: string, opts: { contentType?: string; finalize?: boolean } = {}) {
  const tenant = (await t.container.repos.tenants.findByName('acme')) ?? (await t.container.services.identity.createTenant({ name: 'acme' }));
  const user = await t.container.services.identity.findOrCreateUser(tenant.id, { name: 'alice', role: 'admin' });
  const bytes = readFileSync(file);
  const intent = await t.container.services.uploads.createIntent({
    tenantId: tenant.id,
    ownerUserId: user.id,
    kind: 'audio',
    fileName: path.basename(file),
    contentType: opts.contentType ?? (file.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav'),
    byteSize: bytes.length,
    track: { create: { title: path.basename(file) } },
  });
  const status = await putBytes(t, intent, bytes);
  if (status !== 200) throw new Error(`PUT answered ${status}`);
  const finalized = opts.finalize === false ? null : await t.container.services.uploads.finalize(tenant.id, intent.upload.id);
  return { tenant, user, intent, finalized, trackId: intent.track!.id };
}
