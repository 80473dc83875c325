import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { CheckedDestination } from './outbound-guard.js';

export interface PinnedRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface PinnedResponse {
  /** Only the status: the answer's body is read to the end and thrown away, never returned. */
  status: number;
}

/**
 * Sends one request to the address `checkDestination` approved. The socket's lookup is pinned
 * to that address, so a DNS answer that changes between the check and the connect (a rebind)
 * cannot move the request; Host and TLS SNI keep the URL's hostname, so certificates are
 * verified against it. Redirects are never followed (a 3xx is just a status). One deadline
 * covers connect, send and the answer.
 */
export function pinnedRequest(dest: CheckedDestination, opts: PinnedRequestOptions): Promise<PinnedResponse> {
  const { address, family } = dest.address;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const client = dest.url.protocol === 'https:' ? https : http;
  return new Promise<PinnedResponse>((resolve, reject) => {
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    const req = client.request(dest.url, {
      method: opts.method ?? 'GET',
      headers: { ...opts.headers, host: dest.url.host },
      lookup,
      agent: false,
      signal: AbortSignal.any(signals),
      // SNI carries names only, never an address literal.
      ...(dest.url.protocol === 'https:' && !isIP(dest.hostname) ? { servername: dest.hostname } : {}),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('aborted', () => reject(new Error('the answer was cut short')));
      res.resume();
    });
    req.end(opts.body);
  });
}
