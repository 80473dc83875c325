import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';

const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

describe.each(dialects())('who may reach what (%s)', (dialect) => {
  let t: TestApp;
  let owner: string;
  let admin: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    owner = await t.token({ tenant: 'acme', user: 'olga', role: 'owner' });
    admin = await t.token({ tenant: 'acme', user: 'adam', role: 'admin' });
    bob = await t.token({ tenant: 'acme', user: 'bob', role: 'member' });
    carol = await t.token({ tenant: 'acme', user: 'carol', role: 'member' });
  });
  afterAll(async () => t.close());

  describe("a member's tracks are the member's on every surface", () => {
    let assetId: string;
    let trackId: string;

    beforeAll(async () => {
      const asset = await t.app.inject({ method: 'POST', url: '/asset', headers: json(bob), payload: { title: "Bob's asset" } });
      expect(asset.statusCode).toBe(201);
      assetId = asset.json().data.id;
      const collection = await t.app.inject({ method: 'POST', url: '/v1/collection', headers: json(admin), payload: { title: 'Shared' } });
      const track = await t.app.inject({ method: 'POST', url: '/v1/track', headers: json(bob), payload: { collection_id: collection.json().collection_id, file_name: 'bob.wav', title: "Bob's track" } });
      expect(track.statusCode).toBe(200);
      trackId = track.json().track_id;
    });

    it('another member gets 404 through the distribution API', async () => {
      const list = await t.app.inject({ url: '/asset', headers: bearer(carol) });
      expect(list.statusCode).toBe(200);
      expect(JSON.stringify(list.json())).not.toContain(assetId);
      for (const id of [assetId, trackId]) {
        expect((await t.app.inject({ url: `/asset/${id}`, headers: bearer(carol) })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'PUT', url: `/asset/${id}`, headers: json(carol), payload: { title: 'Mine now' } })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'DELETE', url: `/asset/${id}`, headers: bearer(carol) })).statusCode).toBe(404);
      }
      const csv = await t.app.inject({ url: '/asset/download/csv', headers: bearer(carol) });
      expect(csv.body).not.toContain(assetId);
    });

    it('another member gets 404 through the collections API, and cannot play it', async () => {
      for (const id of [assetId, trackId]) {
        expect((await t.app.inject({ url: `/v1/track/${id}`, headers: bearer(carol) })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'PUT', url: `/v1/track/${id}`, headers: json(carol), payload: { title: 'Mine now' } })).statusCode).toBe(404);
        const play = await t.app.inject({ method: 'POST', url: '/v1/play_session/track', headers: json(carol), payload: { track_id: id } });
        expect(play.statusCode).toBe(404);
      }
    });

    it('another member gets 404 through the workspace API', async () => {
      for (const id of [assetId, trackId]) {
        expect((await t.app.inject({ url: `/api/swayzio/v1/tracks/${id}`, headers: bearer(carol) })).statusCode).toBe(404);
      }
    });

    it('the owner of the tracks and the tenant admins reach them everywhere', async () => {
      for (const who of [bob, admin, owner]) {
        for (const id of [assetId, trackId]) {
          expect((await t.app.inject({ url: `/asset/${id}`, headers: bearer(who) })).statusCode).toBe(200);
          expect((await t.app.inject({ url: `/v1/track/${id}`, headers: bearer(who) })).statusCode).toBe(200);
          expect((await t.app.inject({ url: `/api/swayzio/v1/tracks/${id}`, headers: bearer(who) })).statusCode).toBe(200);
        }
      }
      const list = await t.app.inject({ url: '/asset', headers: bearer(bob) });
      expect(JSON.stringify(list.json())).toContain(assetId);
    });
  });

  describe('minting tokens', () => {
    it('never changes an existing user, and an admin cannot act as the owner', async () => {
      const olga = await t.container.repos.tenants.findUserByName((await t.container.repos.tenants.findByName('acme'))!.id, 'olga');
      const asAdmin = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(admin), payload: { user: 'olga', role: 'admin' } });
      expect(asAdmin.statusCode).toBe(403);
      expect(asAdmin.json().error).toBe('user_outranks_you');
      const noRole = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(admin), payload: { user: 'olga' } });
      expect(noRole.statusCode).toBe(403);
      const after = await t.container.repos.tenants.findUserById(olga!.id);
      expect(after?.role).toBe('owner');
    });

    it('gives nobody a role above their own', async () => {
      const up = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(admin), payload: { user: 'newcomer', role: 'owner' } });
      expect(up.statusCode).toBe(403);
      expect(up.json().error).toBe('role_above_own');
      const fine = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(admin), payload: { user: 'newcomer' } });
      expect(fine.statusCode).toBe(201);
      expect(fine.json().role).toBe('member');
      const mismatch = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(admin), payload: { user: 'newcomer', role: 'admin' } });
      expect(mismatch.statusCode).toBe(409);
      const who = await t.app.inject({ url: '/whoami', headers: bearer(fine.json().token) });
      expect(who.json().role).toBe('member');
    });

    it('changes roles only through /admin/users, within the caller rank, never demoting the last owner', async () => {
      const tenantId = (await t.container.repos.tenants.findByName('acme'))!.id;
      const olga = (await t.container.repos.tenants.findUserByName(tenantId, 'olga'))!;
      const newcomer = (await t.container.repos.tenants.findUserByName(tenantId, 'newcomer'))!;
      expect((await t.app.inject({ method: 'PUT', url: `/admin/users/${olga.id}`, headers: json(admin), payload: { role: 'member' } })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'PUT', url: `/admin/users/${newcomer.id}`, headers: json(admin), payload: { role: 'owner' } })).statusCode).toBe(403);
      const promoted = await t.app.inject({ method: 'PUT', url: `/admin/users/${newcomer.id}`, headers: json(admin), payload: { role: 'admin' } });
      expect(promoted.statusCode).toBe(200);
      expect(promoted.json().role).toBe('admin');
      const last = await t.app.inject({ method: 'PUT', url: `/admin/users/${olga.id}`, headers: json(owner), payload: { role: 'admin' } });
      expect(last.statusCode).toBe(409);
      expect(last.json().error).toBe('last_owner');
      expect((await t.container.repos.tenants.findUserById(olga.id))?.role).toBe('owner');
      const member = await t.app.inject({ method: 'PUT', url: `/admin/users/${newcomer.id}`, headers: json(bob), payload: { role: 'member' } });
      expect(member.statusCode).toBe(403);
    });
  });

  describe('entitlements', () => {
    it('come from the plan and operator grants, never from a token request', async () => {
      const freeOwner = await t.token({ tenant: 'cheap', user: 'fred', role: 'owner', plan: 'free' });
      const minted = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(freeOwner), payload: { user: 'fred2', entitlements: ['tracks.share'] } });
      expect(minted.statusCode).toBe(403);
      expect(minted.json().error).toBe('entitlements_not_grantable');
      const plain = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: json(freeOwner), payload: { user: 'fred2' } });
      const who = await t.app.inject({ url: '/whoami', headers: bearer(plain.json().token) });
      expect(who.json().entitlements).not.toContain('tracks.share');
      const tenant = (await t.container.repos.tenants.findByName('cheap'))!;
      await t.container.services.identity.grantEntitlements({ tenantId: tenant.id }, ['tracks.share']);
      t.container.services.auth.clearCache();
      const granted = await t.app.inject({ url: '/whoami', headers: bearer(plain.json().token) });
      expect(granted.json().entitlements).toContain('tracks.share');
    });
  });

  describe('organization settings', () => {
    it('a member cannot rename the tenant; an admin can', async () => {
      const tenantId = (await t.container.repos.tenants.findByName('acme'))!.id;
      const byMember = await t.app.inject({ method: 'PUT', url: `/v1/organization/${tenantId}`, headers: json(carol), payload: { name: 'Hijacked' } });
      expect(byMember.statusCode).toBe(403);
      expect((await t.container.repos.tenants.findById(tenantId))?.name).toBe('acme');
      const byAdmin = await t.app.inject({ method: 'PUT', url: `/v1/organization/${tenantId}`, headers: json(admin), payload: { player_subtitle: 'Acme records' } });
      expect(byAdmin.statusCode).toBe(200);
    });
  });

  describe('browser-facing keys', () => {
    it('get 403 from the distribution and workspace APIs, and keep their collections access', async () => {
      const collection = await t.app.inject({ method: 'POST', url: '/v1/collection', headers: json(admin), payload: { title: 'Keys' } });
      const collectionId = collection.json().collection_id;
      for (const type of ['player', 'uploader', 'share'] as const) {
        const made = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: json(admin), payload: { type, collectionId } });
        expect(made.statusCode).toBe(201);
        const key = made.json().key;
        for (const url of ['/releases', '/artist', '/product', '/asset', '/asset/download/csv', '/artist/download/csv', '/api/swayzio/v1/tracks']) {
          const res = await t.app.inject({ url, headers: bearer(key) });
          expect(res.statusCode, `${type} ${url}`).toBe(403);
        }
        expect((await t.app.inject({ url: `/v1/collection/${collectionId}`, headers: bearer(key) })).statusCode, type).toBe(200);
      }
      const server = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: json(admin), payload: { type: 'server' } });
      expect((await t.app.inject({ url: '/releases', headers: bearer(server.json().key) })).statusCode).toBe(200);
    });
  });
});
