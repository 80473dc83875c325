import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type Dialect, type TestApp } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';

export interface Reply {
  status: number;
  body: any;
  headers: LightMyRequestResponse['headers'];
}

/** A tiny AudioDN client over `app.inject`: Bearer key, JSON in and out. */
export function client(t: TestApp, key?: string) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<Reply> => {
    const res = await t.app.inject({
      method,
      url,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    let body: any = null;
    try {
      body = res.json();
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown = {}) => call('POST', url, payload),
    put: (url: string, payload: unknown) => call('PUT', url, payload),
    del: (url: string) => call('DELETE', url),
  };
}
export type Client = ReturnType<typeof client>;

export interface Org {
  tenantId: string;
  serverKey: string;
  api: Client;
}

/** A tenant (AudioDN organization) with a server key. */
export async function organization(t: TestApp, name: string): Promise<Org> {
  const { identity } = t.container.services;
  const tenant = await identity.createTenant({ name, plan: 'pro' });
  const { key } = await identity.createApiKey({ tenantId: tenant.id, type: 'server', name: `${name} server` });
  return { tenantId: tenant.id, serverKey: key, api: client(t, key) };
}

export async function setup(dialect: Dialect) {
  const t = await createTestApp({ dialect });
  const org = await organization(t, 'org-a');
  return { t, org };
}

/** PUTs bytes to a `track_upload` handle the way an AudioDN client would. */
export async function uploadTo(t: TestApp, handle: { method: string; upload_url: string; headers?: Record<string, string> }, bytes: Buffer) {
  return t.app.inject({ method: 'PUT', url: injectPath(handle.upload_url), headers: { 'content-type': handle.headers?.['Content-Type'] ?? 'application/octet-stream' }, payload: bytes });
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
