import { isIP } from 'node:net';

/**
 * Whether an address is a public unicast destination on the Internet. Anything that reaches
 * this host, its private networks, link-local services (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, multicast or reserved/documentation space is not public. IPv6 forms that
 * embed an IPv4 address (mapped, NAT64, 6to4) are judged by that IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return isPublicIpv4(parseIpv4(bare)!);
  if (family === 6) {
    const words = parseIpv6(bare);
    return words ? isPublicIpv6(words) : false;
  }
  return false;
}

/** IPv4 ranges that are not public, as [network, prefix length]. */
const IPV4_BLOCKED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const IPV4_RANGES = IPV4_BLOCKED.map(([net, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (parseIpv4(net)! & mask) >>> 0, mask };
});

function isPublicIpv4(n: number): boolean {
  return !IPV4_RANGES.some((r) => ((n & r.mask) >>> 0) === r.base);
}

function parseIpv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

/** Eight 16-bit words, or null when the text is not an IPv6 address. */
function parseIpv6(s: string): number[] | null {
  let text = s.split('%')[0]!; // zone id (fe80::1%eth0)
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // A trailing dotted IPv4 part is two words.
    const v4 = parseIpv4(last);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toWords = (h: string) => (h === '' ? [] : h.split(':').map((w) => (/^[0-9a-f]{1,4}$/i.test(w) ? parseInt(w, 16) : NaN)));
  const head = toWords(halves[0]!);
  const tail = halves.length === 2 ? toWords(halves[1]!) : [];
  if ([...head, ...tail].some(Number.isNaN)) return null;
  const known = head.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...tail];
}

function isPublicIpv6(w: number[]): boolean {
  const [a, b] = w as [number, number];
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  const embedded = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;
  // ::/96 (unspecified, loopback, deprecated IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped).
  if (zeroUpTo(5) && w[5] === 0xffff) return isPublicIpv4(embedded(w[6]!, w[7]!));
  if (zeroUpTo(6)) return false;
  // 64:ff9b::/96 NAT64 translates to the embedded IPv4 address.
  if (a === 0x64 && b === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return isPublicIpv4(embedded(w[6]!, w[7]!));
  // 2002::/16 6to4 tunnels to the IPv4 address in words 1-2.
  if (a === 0x2002) return isPublicIpv4(embedded(w[1]!, w[2]!));
  // Only global unicast 2000::/3 is routable; that rules out fc00::/7, fe80::/10, ff00::/8, 100::/64...
  if ((a & 0xe000) !== 0x2000) return false;
  if (a === 0x2001 && b < 0x0200) return false; // 2001::/23 IETF protocol assignments (Teredo, ORCHID, benchmarking)
  if (a === 0x2001 && b === 0x0db8) return false; // documentation
  if ((a & 0xfff0) === 0x3ff0 && a <= 0x3fff) return false; // 3fff::/20 documentation
  return true;
}
