import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';

/** Opens a raw connection, writes `head`, and collects what the server says until it closes (or `waitMs` passes). */
function rawExchange(port: number, head: string, opts: { waitMs?: number; trickle?: string } = {}): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    let trickle: NodeJS.Timeout | undefined;
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearInterval(trickle);
      clearTimeout(timer);
      resolve({ text, closed, ms: Date.now() - started });
    });
    socket.write(head);
    if (opts.trickle) trickle = setInterval(() => socket.writable && socket.write(opts.trickle!), 100);
    const timer = setTimeout(() => {
      clearInterval(trickle);
      resolve({ text, closed, ms: Date.now() - started });
      socket.destroy();
    }, opts.waitMs ?? 5000);
  });
}

describe('HTTP limits on a listening server', () => {
  let t: TestApp;
  let port: number;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_TIMEOUT_SECONDS: '0.6', KEEP_ALIVE_TIMEOUT_SECONDS: '2', REQUEST_TIMEOUT_SECONDS: '120', IDLE_TIMEOUT_SECONDS: '30' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
    token = await t.token();
  });
  afterAll(async () => t.close());

  it('refuses a request without a credential before reading its body, and closes the connection', async () => {
    const surfaces = ['POST /asset', 'POST /v1/track', 'PUT /api/swayzio/v1/tracks/0190f5d2-0000-7000-8000-000000000000/lyrics', 'POST /admin/tokens'];
    for (const url of surfaces) {
      const head = `${url} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${900 * 1024}\r\n\r\n{"a":`;
      const res = await rawExchange(port, head, { waitMs: 3000 });
      expect(res.text, url).toMatch(/^HTTP\/1\.1 401 /);
      expect(res.text.toLowerCase(), url).toContain('connection: close');
      expect(res.closed, url).toBe(true);
      expect(res.ms, url).toBeLessThan(2500);
    }
  });

  it('answers 408 and closes the connection when a JSON body trickles in too slowly', async () => {
    const head = `POST /asset HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"title":"`;
    const res = await rawExchange(port, head, { trickle: 'aaaa', waitMs: 5000 });
    expect(res.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(res.text).toContain('body_timeout');
    expect(res.closed).toBe(true);
    expect(res.ms).toBeLessThan(3000);
  });

  it('sets request, idle and keep-alive timeouts on the server', () => {
    expect(t.app.server.requestTimeout).toBe(120_000);
    expect(t.app.server.keepAliveTimeout).toBe(2_000);
    expect(t.app.server.timeout).toBe(30_000);
  });

  it('caps JSON bodies at 1 MiB, but lets the bulk routes take more', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(1.5 * 1024 * 1024) });
    const one = await t.app.inject({ method: 'POST', url: '/asset', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: big });
    expect(one.statusCode).toBe(413);
    const assets = Array.from({ length: 3 }, (_, i) => ({ title: `Bulk ${i}`, notes: 'n'.repeat(600 * 1024) }));
    const bulk = await t.app.inject({ method: 'POST', url: '/asset/bulk', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ assets }) });
    expect(bulk.statusCode).not.toBe(413);
  });

  it('answers a HEAD whose headers are too large with 431 and no body', async () => {
    const res = await rawExchange(port, `HEAD /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, { waitMs: 3000 });
    expect(res.text).toMatch(/^HTTP\/1\.1 431 /);
    const [, body] = res.text.split('\r\n\r\n');
    expect(body ?? '').toBe('');
    const get = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, { waitMs: 3000 });
    expect(get.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(get.text).toContain('headers_too_large');
  });
});
