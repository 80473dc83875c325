import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedRequest } from './pinned-request.js';

describe('pinnedRequest', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ url: string; method: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url!, method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
        else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 2_000);
        else res.writeHead(201).end('secret answer');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const dest = (path: string) => ({ url: new URL(`http://pinned.invalid:${port}${path}`), hostname: 'pinned.invalid', address: { address: '127.0.0.1', family: 4 as const } });

  it('connects to the pinned address whatever the name, keeping the Host header', async () => {
    // `.invalid` never resolves: the request can only reach the server through the pinned address.
    const res = await pinnedRequest(dest('/hook'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 5_000 });
    expect(res).toEqual({ status: 201 });
    const got = seen.find((s) => s.url === '/hook')!;
    expect(got).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(got.headers.host).toBe(`pinned.invalid:${port}`);
  });

  it('does not follow redirects', async () => {
    expect((await pinnedRequest(dest('/redirect'), { timeoutMs: 5_000 })).status).toBe(302);
    expect(seen.some((s) => s.url === '/elsewhere')).toBe(false);
  });

  it('gives up at the deadline', async () => {
    const started = Date.now();
    await expect(pinnedRequest(dest('/slow'), { timeoutMs: 200 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops when the caller aborts', async () => {
    const ctl = new AbortController();
    const p = pinnedRequest(dest('/slow'), { timeoutMs: 5_000, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await expect(p).rejects.toThrow();
  });
});
