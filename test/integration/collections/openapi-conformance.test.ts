import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { injectPath, makeImage, toneBytes } from '../../helpers/audio.js';
import { createChecker, type Schema } from './json-schema.js';
import { client, setup, uploadTo, type Org } from './setup.js';

/** The vendor's OpenAPI document, found beside the checkout (../shared/reference) or above it. */
function findSpec(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const direct = path.resolve(here, '../../../../shared/reference/audiodn/openapi.json');
  if (existsSync(direct)) return direct;
  for (let dir = here; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared/reference/audiodn/openapi.json');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const specFile = findSpec();
if (!specFile) console.warn('AudioDN OpenAPI conformance skipped: shared/reference/audiodn/openapi.json not found above the checkout');
const spec = specFile ? (JSON.parse(readFileSync(specFile, 'utf8')) as Schema) : null;
const METHODS = ['get', 'post', 'put', 'delete'] as const;

describe.skipIf(!spec).each(dialects())('collections: responses conform to the AudioDN OpenAPI document (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  const checker = createChecker(spec ?? {});
  const checked = new Set<string>();

  /** Validates a response against the spec's schema for its operation and status. */
  function conform(method: string, template: string, res: { status: number; body: unknown }) {
    const op = spec!.paths[template]?.[method.toLowerCase()];
    expect(op, `${method} ${template} is in the spec`).toBeDefined();
    const response = op.responses[String(res.status)] ?? op.responses.default;
    expect(response, `${method} ${template} documents status ${res.status}`).toBeDefined();
    const resolved = response.$ref ? checker.resolve(response.$ref) : response;
    const schema = resolved.content?.['application/json']?.schema ?? (res.status >= 400 ? { $ref: '#/components/schemas/Error' } : null);
    expect(schema, `${method} ${template} ${res.status} has a JSON schema`).not.toBeNull();
    expect(checker.validate(schema, res.body), `${method} ${template} ${res.status}`).toEqual([]);
    if (res.status < 300) expect(checker.validate({ $ref: '#/components/schemas/OkEnvelope' }, res.body)).toEqual([]);
    checked.add(`${method.toUpperCase()} ${template}`);
  }

  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    await t.container.startWorkers();
  });
  afterAll(async () => t?.close());

  it('the checker itself rejects what the schemas forbid', () => {
    const track = { $ref: '#/components/schemas/Track' };
    expect(checker.validate(track, { id: 'x' })).toEqual(['$.id: "x" is not a uuid']);
    expect(checker.validate(track, { status: 'done' })[0]).toMatch(/not one of/);
    expect(checker.validate(track, { player_color: 'red' })[0]).toMatch(/does not match/);
    expect(checker.validate({ $ref: '#/components/schemas/Error' }, { ok: true, message: 1 })).toHaveLength(2);
    expect(checker.validate({ $ref: '#/components/schemas/Error' }, { message: 'x' })).toEqual(['$.ok: required']);
  });

  it('every operation of the spec is routed', async () => {
    const anyId = '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e';
    for (const [template, ops] of Object.entries<Record<string, unknown>>(spec!.paths)) {
      for (const method of METHODS) {
        if (!ops[method]) continue;
        const url = template.replace('{scope}', 'track').replace('{variant_index}', 'hq').replace(/\{[^}]+\}/g, anyId);
        const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { authorization: `Bearer ${org.serverKey}` }, ...(method === 'get' || method === 'delete' ? {} : { payload: {} }) });
        expect(res.json().message ?? '', `${method.toUpperCase()} ${template}`).not.toMatch(/^Route .* not found$/);
      }
    }
  });

  it('answers every operation in the documented shapes', async () => {
    const api = org.api;
    const anon = client(t);
    conform('GET', '/v1/organization/{organization_id}', await api.get(`/v1/organization/${org.tenantId}`));
    conform('PUT', '/v1/organization/{organization_id}', await api.put(`/v1/organization/${org.tenantId}`, { player_color: '#2266aa', player_subtitle: 'Label' }));

    const creator = await api.post('/v1/creator', { organization_index: 'c-1', metadata: { a: 1 } });
    conform('POST', '/v1/creator', creator);
    const creatorId = creator.body.creator_id;
    conform('GET', '/v1/creator', await api.get('/v1/creator'));
    conform('GET', '/v1/creator/{creator_id}', await api.get(`/v1/creator/${creatorId}`));
    conform('PUT', '/v1/creator/{creator_id}', await api.put(`/v1/creator/${creatorId}`, { metadata: { b: 2 } }));

    const collection = await api.post('/v1/collection', { title: 'Spec', creator_id: creatorId, player_color: '#AA3300' });
    conform('POST', '/v1/collection', collection);
    const collectionId = collection.body.collection_id;
    conform('GET', '/v1/collection', await api.get('/v1/collection'));
    conform('GET', '/v1/collection/{collection_id}', await api.get(`/v1/collection/${collectionId}`));
    conform('PUT', '/v1/collection/{collection_id}', await api.put(`/v1/collection/${collectionId}`, { title: 'Spec 2' }));
    const collectionCover = await api.post(`/v1/collection/${collectionId}/cover`);
    conform('POST', '/v1/collection/{collection_id}/cover', collectionCover);
    await t.app.inject({ method: 'POST', url: injectPath(collectionCover.body.collection_cover_upload.upload_url), headers: { 'content-type': 'image/png' }, payload: makeImage({ color: 'green' }) });
    conform('GET', '/v1/collection/{collection_id}', await api.get(`/v1/collection/${collectionId}`));

    const created = await api.post('/v1/track', { collection_id: collectionId, file_name: 'spec.wav', creator_id: creatorId, player_title: 'Spec track' });
    conform('POST', '/v1/track', created);
    const trackId = created.body.track_id;
    await uploadTo(t, created.body.track_upload, toneBytes({ seconds: 2 }));
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    conform('GET', '/v1/track/{track_id}', await api.get(`/v1/track/${trackId}`));
    conform('PUT', '/v1/track/{track_id}', await api.put(`/v1/track/${trackId}`, { player_color: '#123456', organization_index: 'x-1' }));
    conform('GET', '/v1/collection/{collection_id}/track', await api.get(`/v1/collection/${collectionId}/track`));
    conform('POST', '/v1/track/{track_id}/cover', await api.post(`/v1/track/${trackId}/cover`));
    conform('POST', '/v1/track/{track_id}/variant', await api.post(`/v1/track/${trackId}/variant`, { variant_type_id: 'preview', index: 'clip', preview_type: 'percent' }));
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const variants = await api.get('/v1/variant');
    conform('GET', '/v1/variant', variants);
    conform('GET', '/v1/variant/{variant_id}', await api.get(`/v1/variant/${variants.body.variants[0].id}`));

    const upload = await api.post('/v1/upload_session', { collection_id: collectionId, expires_in: 600 });
    conform('POST', '/v1/upload_session', upload);
    conform('GET', '/v1/upload_session/{upload_session_id}', await anon.get(`/v1/upload_session/${upload.body.upload_session_id}`));
    conform('POST', '/v1/upload/{upload_session_id}/track', await anon.post(`/v1/upload/${upload.body.upload_session_id}/track`, { file_name: 'more.mp3' }));

    const play = await api.post('/v1/play_session/track', { track_id: trackId, variants: ['hq', 'clip'], is_downloadable: true });
    conform('POST', '/v1/play_session/{scope}', play);
    expect(play.body.first_track.variants).toHaveLength(2);
    const sid = play.body.play_session_id;
    conform('GET', '/v1/play_session/{play_session_id}', await anon.get(`/v1/play_session/${sid}`));
    conform('GET', '/v1/play/{play_session_id}/{play_track_id}', await anon.get(`/v1/play/${sid}/${trackId}`));
    conform('GET', '/v1/play/{play_session_id}/{play_track_id}/{variant_index}/download', await anon.get(`/v1/play/${sid}/${trackId}/clip/download`));
    conform('POST', '/v1/play_session/{scope}', await api.post('/v1/play_session/collection', { collection_id: collectionId }));

    conform('POST', '/v1/api_key', await api.post('/v1/api_key', { title: 'player', api_key_type_id: 'player', collection_id: collectionId }));

    // Errors use the Error schema.
    conform('GET', '/v1/track/{track_id}', await anon.get(`/v1/track/${trackId}`));
    conform('GET', '/v1/track/{track_id}', await api.get('/v1/track/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e'));
    conform('POST', '/v1/track', await api.post('/v1/track', { file_name: 'x.mp3' }));

    conform('DELETE', '/v1/track/{track_id}', await api.del(`/v1/track/${trackId}`));
    conform('DELETE', '/v1/collection/{collection_id}', await api.del(`/v1/collection/${collectionId}`));
    conform('DELETE', '/v1/creator/{creator_id}', await api.del(`/v1/creator/${creatorId}`));

    const all = Object.entries<Record<string, unknown>>(spec!.paths).flatMap(([p, ops]) => METHODS.filter((m) => ops[m]).map((m) => `${m.toUpperCase()} ${p}`));
    expect(all.filter((op) => !checked.has(op))).toEqual([]);
  });
});
