import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './ip-address.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** How a hostname becomes addresses: `dns.lookup` with `all: true` unless the container is given another. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export type RefusalReason = 'invalid_url' | 'scheme_not_allowed' | 'credentials_not_allowed' | 'address_not_allowed' | 'unresolvable';

/** A destination the server will not contact. `reason` is safe to show; it never carries what the host answered. */
export class OutboundRefused extends Error {
  constructor(readonly reason: RefusalReason, message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

export interface OutboundPolicy {
  /** Private, loopback and link-local destinations are allowed (a development or test setup). */
  allowPrivate: boolean;
  resolve?: HostResolver;
}

export interface CheckedDestination {
  url: URL;
  /** The host without IPv6 brackets: what Host and SNI carry. */
  hostname: string;
  /** The address to connect to; every address the host resolved to passed the policy. */
  address: ResolvedAddress;
}

/** Only http(s) URLs without credentials; a literal address or a `localhost` name must be public unless allowed. */
export function checkUrlShape(raw: string | URL, policy: Pick<OutboundPolicy, 'allowPrivate'>): URL {
  let url: URL;
  try {
    url = typeof raw === 'string' ? new URL(raw) : raw;
  } catch {
    throw new OutboundRefused('invalid_url', 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused('scheme_not_allowed', 'only http and https URLs are allowed');
  if (url.username || url.password) throw new OutboundRefused('credentials_not_allowed', 'URLs may not carry credentials');
  const host = bareHost(url);
  if (!host) throw new OutboundRefused('invalid_url', 'the URL has no host');
  refuseKnownPrivate(host, policy);
  return url;
}

/** Refused without a lookup: a literal address that is not public, or a `localhost` name. */
function refuseKnownPrivate(host: string, policy: Pick<OutboundPolicy, 'allowPrivate'>): void {
  if (policy.allowPrivate) return;
  const name = host.toLowerCase().replace(/\.$/, '');
  if ((isIP(host) && !isPublicAddress(host)) || name === 'localhost' || name.endsWith('.localhost')) {
    throw new OutboundRefused('address_not_allowed', 'the destination address is not public');
  }
}

/**
 * Checks the URL and resolves its host. Refused when ANY address is not public (a host with
 * one public and one private address would otherwise be a coin toss away from the inside).
 * The caller must connect to the returned address, not resolve the name again.
 */
export async function checkDestination(raw: string | URL, policy: OutboundPolicy): Promise<CheckedDestination> {
  const url = checkUrlShape(raw, policy);
  const hostname = bareHost(url);
  return { url, hostname, address: await checkHost(hostname, policy) };
}

/**
 * A host (name or literal address) that is not a URL's, such as an SFTP server's: resolved and
 * refused when any address is not public. The caller connects to the returned address.
 */
export async function checkHost(host: string, policy: OutboundPolicy): Promise<ResolvedAddress> {
  const hostname = host.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) throw new OutboundRefused('invalid_url', 'the destination has no host');
  refuseKnownPrivate(hostname, policy);
  const literal = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: hostname, family: literal as 4 | 6 }];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(hostname);
    } catch {
      throw new OutboundRefused('unresolvable', 'the destination host does not resolve');
    }
    if (addresses.length === 0) throw new OutboundRefused('unresolvable', 'the destination host does not resolve');
  }
  if (!policy.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
    throw new OutboundRefused('address_not_allowed', 'the destination address is not public');
  }
  return addresses[0]!;
}

const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');
