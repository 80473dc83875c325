import { describe, expect, it } from 'vitest';
import { checkDestination, checkUrlShape, OutboundRefused, type HostResolver } from './outbound-guard.js';

const resolver = (table: Record<string, string[]>): HostResolver => async (host) => {
  const list = table[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const reasonOf = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof OutboundRefused) return err.reason;
    throw err;
  }
  return 'allowed';
};

describe('checkUrlShape', () => {
  it.each([
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['gopher://example.com:70/_x', 'scheme_not_allowed'],
    ['ftp://example.com/', 'scheme_not_allowed'],
    ['javascript:alert(1)', 'scheme_not_allowed'],
    ['http://user:pw@example.com/', 'credentials_not_allowed'],
    ['http://user@example.com/', 'credentials_not_allowed'],
    ['http://127.0.0.1:8080/', 'address_not_allowed'],
    ['http://[::1]/', 'address_not_allowed'],
    ['http://[::ffff:127.0.0.1]/', 'address_not_allowed'],
    ['http://169.254.169.254/latest/meta-data/', 'address_not_allowed'],
    ['http://2130706433/', 'address_not_allowed'], // decimal 127.0.0.1, normalized by URL
    ['http://0x7f.1/', 'address_not_allowed'],
    ['http://localhost/', 'address_not_allowed'],
    ['http://LOCALHOST./', 'address_not_allowed'],
    ['http://api.localhost/', 'address_not_allowed'],
    ['not a url', 'invalid_url'],
  ])('%s is refused (%s)', async (url, reason) => {
    expect(await reasonOf(() => checkUrlShape(url, { allowPrivate: false }))).toBe(reason);
  });

  it('allows private literals only when the policy does, never other schemes or credentials', async () => {
    expect(await reasonOf(() => checkUrlShape('http://127.0.0.1:9/', { allowPrivate: true }))).toBe('allowed');
    expect(await reasonOf(() => checkUrlShape('file:///etc/passwd', { allowPrivate: true }))).toBe('scheme_not_allowed');
    expect(await reasonOf(() => checkUrlShape('http://a:b@127.0.0.1/', { allowPrivate: true }))).toBe('credentials_not_allowed');
  });
});

describe('checkDestination', () => {
  const resolve = resolver({
    'public.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'mixed.example': ['93.184.216.34', '10.0.0.7'],
    'inside.example': ['fd00::5'],
    'loop.example': ['127.0.0.1'],
  });

  it('resolves a public host and returns the address to pin', async () => {
    const d = await checkDestination('https://public.example/hooks', { allowPrivate: false, resolve });
    expect(d.hostname).toBe('public.example');
    expect(d.address).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('refuses a host when any address is not public', async () => {
    for (const host of ['mixed.example', 'inside.example', 'loop.example']) {
      expect(await reasonOf(checkDestination(`http://${host}/`, { allowPrivate: false, resolve }))).toBe('address_not_allowed');
    }
  });

  it('refuses a host that does not resolve', async () => {
    expect(await reasonOf(checkDestination('http://nowhere.example/', { allowPrivate: false, resolve }))).toBe('unresolvable');
  });

  it('takes a literal address as it is, without resolving', async () => {
    const d = await checkDestination('http://[2606:4700::1]:8443/', { allowPrivate: false, resolve: async () => { throw new Error('not called'); } });
    expect(d).toMatchObject({ hostname: '2606:4700::1', address: { address: '2606:4700::1', family: 6 } });
  });

  it('lets private destinations through when allowed', async () => {
    const d = await checkDestination('http://loop.example:81/', { allowPrivate: true, resolve });
    expect(d.address.address).toBe('127.0.0.1');
  });
});
