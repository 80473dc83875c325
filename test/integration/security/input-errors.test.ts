import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';

const ID = '0190f5d2-0000-7000-8000-000000000000';

describe.each(dialects())('malformed input is a short 400, never a 500 (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    token = await t.token();
  });
  afterAll(async () => t.close());

  it('multipart/form-data without a boundary', async () => {
    const product = await t.app.inject({ method: 'POST', url: '/product', headers: bearer(token), payload: { title: 'P' } });
    const productId = product.json().data?.id ?? ID;
    const urls: Array<['POST' | 'PUT', string]> = [
      ['POST', '/product'],
      ['PUT', `/product/${productId}`],
      ['POST', `/releases/${ID}/tracks/${ID}/media/file`],
    ];
    for (const [method, url] of urls) {
      const res = await t.app.inject({ method, url, headers: { ...bearer(token), 'content-type': 'multipart/form-data' }, payload: 'abc' });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      if (url === '/product' || url.startsWith('/product/')) expect(res.json().message, url).toMatch(/multipart/i);
    }
  });

  it('JSON nested 10,000 deep, on every bulk route, answered without echoing it', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (const url of ['/asset/bulk', '/artist/bulk', '/product/bulk']) {
      for (const payload of [deep, `{"assets":${deep}}`, `{"products":[${deep}]}`]) {
        const res = await t.app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload });
        expect(res.statusCode, url).toBe(400);
        expect(res.body.length, url).toBeLessThan(500);
        expect(res.body).not.toContain('[[[');
      }
    }
  });

  it('a bulk item that fails is named by its index and echoed only while small', async () => {
    const big = { realName: 'x'.repeat(5000) };
    const res = await t.app.inject({ method: 'POST', url: '/artist/bulk', headers: bearer(token), payload: { artists: [{ realName: 'no stage name' }, big] } });
    expect(res.statusCode).toBe(200);
    const { errors } = res.json().data;
    expect(errors[0]).toMatchObject({ index: 0, item: { realName: 'no stage name' } });
    expect(errors[1].index).toBe(1);
    expect(errors[1].item).toBeUndefined();
    expect(res.body.length).toBeLessThan(2000);
  });
});

describe('a client that hangs up mid-upload', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('is logged as a client abort, not as a server error', async () => {
    const lines: Array<{ level: number; code?: string; msg: string }> = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        cb();
      },
    });
    const app = await buildApp(t.container, { logger: { level: 'info', stream: sink } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { key } = await t.container.services.identity.createApiKey({ tenantId: (await t.container.services.identity.createTenant({ name: 'abort' })).id, type: 'server' });
      const headers = { authorization: `Bearer ${key}` };
      const collection = (await app.inject({ method: 'POST', url: '/v1/collection', headers, payload: { title: 'Abort' } })).json().collection_id;
      const created = (await app.inject({ method: 'POST', url: '/v1/track', headers, payload: { collection_id: collection, file_name: 'a.mp3' } })).json();
      const path = injectPath(created.track_upload.upload_url);
      const port = (app.server.address() as net.AddressInfo).port;
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write(`PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: audio/mpeg\r\nContent-Length: 1000000\r\n\r\n`);
          socket.write(Buffer.alloc(64 * 1024, 1), () => setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100));
        });
        socket.on('error', () => {});
      });
      await new Promise((r) => setTimeout(r, 500));
      const failures = lines.filter((l) => l.level >= 50);
      expect(failures).toEqual([]);
      expect(lines.some((l) => l.code === 'client_aborted')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
