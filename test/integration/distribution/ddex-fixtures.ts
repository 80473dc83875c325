import type { TestApp } from '../../helpers/app.js';
import { makeImage, toneBytes } from '../../helpers/audio.js';
import { createRelease, uploadTrackFile, type Headers } from './fixtures.js';
import { multipart } from './multipart.js';

/** Tests and benchmarks deliver to servers on loopback (s3rver, sshd): private providers are allowed. */
export const DDEX_ENV = { DDEX_PARTY_ID: 'PADPIDA2026120701L', DDEX_PARTY_NAME: 'Ledgerline Test Label', DELIVERY_ALLOW_PRIVATE: 'true' };

let wav: Buffer | undefined;
/** A one-second 44.1 kHz, 16-bit stereo WAV: a deliverable master. */
export const masterWav = (): Buffer => (wav ??= toneBytes({ seconds: 1, format: 'wav' }));
const covers = new Map<number, Buffer>();
export const cover = (size = 1400): Buffer => covers.get(size) ?? covers.set(size, makeImage({ size, color: 'blue' })).get(size)!;

let isrcCounter = 0;
/** ISRCs no other test product uses. */
export const nextIsrc = () => `USLL2${String(6_000_000 + isrcCounter++).slice(-7)}`;

export interface ReadyProductOptions {
  title?: string;
  tracks?: Array<{ title: string; disc?: number; contributors?: Record<string, string[]>; explicit?: boolean }>;
  format?: string;
  contributors?: Array<{ name: string; role: string; share?: number }>;
  artwork?: Buffer | null;
  audio?: Buffer;
  distribution?: Record<string, unknown>;
}

/**
 * A product made the way a label makes one: a release with tracks and masters, submitted,
 * approved (which creates the product and its assets), then given its cover art.
 */
export async function readyProduct(t: TestApp, admin: Headers, o: ReadyProductOptions = {}) {
  const tracks = o.tracks ?? [{ title: 'Only Song' }];
  const release = await createRelease(t, admin, {
    title: o.title ?? 'Deliverable',
    format: o.format ?? (tracks.length > 3 ? 'Album' : tracks.length > 1 ? 'EP' : 'Single'),
    label: 'Ledgerline Records',
    releaseDate: '2027-03-05',
    mainGenre: ['Electronic'],
    tracks: tracks.map((tr) => ({
      title: tr.title, displayArtist: 'The Wave Collective', artists: { 'The Wave Collective': 'primary' }, isrc: nextIsrc(), language: 'en',
      explicit: tr.explicit ?? false, ...(tr.contributors ? { contributors: tr.contributors } : {}),
    })),
  });
  for (const tr of release.tracks) {
    const res = await uploadTrackFile(t, admin, release.id, tr.id, o.audio ?? masterWav(), { filename: `${tr.trackNumber}.wav`, contentType: 'audio/wav' });
    if (res.statusCode >= 300) throw new Error(`upload answered ${res.statusCode}: ${res.body}`);
  }
  const submit = await t.app.inject({ method: 'POST', url: `/releases/${release.id}/submit`, headers: admin });
  if (submit.statusCode !== 200) throw new Error(`submit answered ${submit.statusCode}: ${submit.body}`);
  const approve = await t.app.inject({ method: 'POST', url: `/releases/${release.id}/review`, headers: admin, payload: { action: 'approve' } });
  if (approve.statusCode !== 200) throw new Error(`approve answered ${approve.statusCode}: ${approve.body}`);
  const productId: string = approve.json().data.productId;
  const product = (await t.app.inject({ url: `/product/${productId}`, headers: admin })).json().data;
  const fields: Array<[string, string | { file: Buffer; filename: string; contentType: string }]> = [['title', product.title]];
  if (o.contributors) fields.push(['contributors', JSON.stringify(o.contributors)]);
  if (o.distribution) fields.push(['distribution', JSON.stringify(o.distribution)]);
  if (o.artwork !== null) fields.push(['file', { file: o.artwork ?? cover(), filename: 'cover.png', contentType: 'image/png' }]);
  const mp = multipart(fields);
  const put = await t.app.inject({ method: 'PUT', url: `/product/${productId}`, headers: { ...admin, ...mp.headers }, payload: mp.payload });
  if (put.statusCode !== 200) throw new Error(`product update answered ${put.statusCode}: ${put.body}`);
  const assets: Array<{ asset: string; number: number }> = put.json().product.assets;
  for (const [i, tr] of tracks.entries()) {
    if (!tr.disc || tr.disc === 1) continue;
    const res = await t.app.inject({ method: 'PUT', url: `/asset/${assets[i].asset}`, headers: admin, payload: { metadata: { discNumber: tr.disc } } });
    if (res.statusCode !== 200) throw new Error(`asset update answered ${res.statusCode}: ${res.body}`);
  }
  return { productId, upc: product.upc as string, releaseId: release.id, assets };
}
