import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Why an outgoing URL was refused (shown to the caller as a validation message). */
export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export interface SafeTarget {
  url: URL;
  /** The checked address the connection must go to (no second DNS lookup). */
  address: string;
  family: 4 | 6;
}

export interface SsrfPolicy {
  /** Local development and tests: plain http and private/loopback targets (never metadata addresses). */
  allowPrivateNetworks: boolean;
}

function blockList(v4: string[], v6: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of v4) list.addSubnet(cidr.split('/')[0], Number(cidr.split('/')[1]), 'ipv4');
  for (const cidr of v6) list.addSubnet(cidr.split('/')[0], Number(cidr.split('/')[1]), 'ipv6');
  return list;
}

// Cloud metadata services: refused even when private networks are allowed.
const METADATA = blockList(['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', '192.0.0.192/32'], ['fd00:ec2::254/128']);

// Never a webhook target: unspecified, link-local (where metadata services live), multicast, reserved, broadcast.
// Teredo (2001::/32) hides its IPv4 address; site-local (fec0::/10) is deprecated.
const ALWAYS_BLOCKED = blockList(
  ['0.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'],
  ['::/128', 'fe80::/10', 'fec0::/10', 'ff00::/8', '2001::/32'],
);

// Private networks: allowed only with the setting.
const PRIVATE = blockList(
  ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'],
  ['::1/128', 'fc00::/7', '2001:db8::/32', '64:ff9b::/96', '100::/64'],
);

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail and `::` expanded). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::').map((half) => (half ? half.split(':').map((h) => parseInt(h, 16)) : []));
  return tail === undefined ? head : [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

const dottedOf = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 address an IPv6 address carries and reaches: IPv4-mapped (`::ffff:7f00:1`,
 * `::ffff:127.0.0.1`), IPv4-translated (`::ffff:0:a.b.c.d`), IPv4-compatible (`::7f00:1`),
 * NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`) and 6to4 (`2002:AABB:CCDD::`), in any spelling.
 */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return dottedOf(g[6], g[7]);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return dottedOf(g[6], g[7]);
  if (zeros(0, 6) && g[6] !== 0) return dottedOf(g[6], g[7]); // leaves :: and ::1 to the IPv6 lists
  if (g[0] === 0x64 && g[1] === 0xff9b && (zeros(2, 6) || g[2] === 1)) return dottedOf(g[6], g[7]);
  if (g[0] === 0x2002) return dottedOf(g[1], g[2]);
  return undefined;
}

function reasonOf(address: string, type: 'ipv4' | 'ipv6', policy: SsrfPolicy): string | undefined {
  if (METADATA.check(address, type)) return 'is a cloud metadata address';
  if (ALWAYS_BLOCKED.check(address, type)) return 'is a link-local, multicast or reserved address';
  if (!policy.allowPrivateNetworks && PRIVATE.check(address, type)) return 'is a private or loopback address';
  return undefined;
}

/**
 * Why `address` may not be connected to under `policy`, or undefined when it may. An IPv6
 * address that carries an IPv4 one is checked as both (the IPv4 first: what it reaches).
 */
export function blockedReason(address: string, policy: SsrfPolicy): string | undefined {
  if (isIP(address) === 4) return reasonOf(address, 'ipv4', policy);
  if (isIP(address) !== 6) return 'is not an IP address';
  const ipv4 = embeddedIpv4(address);
  return (ipv4 && reasonOf(ipv4, 'ipv4', policy)) || reasonOf(address, 'ipv6', policy);
}

/** Checks the URL's form: http(s) only, https unless private networks are allowed, no credentials. */
export function parseTargetUrl(raw: string, policy: SsrfPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw); // WHATWG parsing turns decimal and hex hosts (http://2130706433/, 0x7f.1) into dotted IPv4
  } catch {
    throw new UnsafeUrlError('must be a valid URL');
  }
  const schemes = policy.allowPrivateNetworks ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new UnsafeUrlError(policy.allowPrivateNetworks ? 'must be an http(s) URL' : 'must be an https URL');
  if (url.username || url.password) throw new UnsafeUrlError('must not contain credentials');
  return url;
}

/** A host name's addresses, every one of them. */
export type HostLookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

/** The system resolver (/etc/hosts, then DNS), as the connection would use it. */
const systemLookup: HostLookup = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Resolves the URL's host and checks every address it resolves to; the caller connects to the
 * returned address (a DNS answer that changes between the check and the connection cannot
 * point the request somewhere else).
 */
export async function resolveSafeTarget(raw: string, policy: SsrfPolicy, lookupHost: HostLookup = systemLookup): Promise<SafeTarget> {
  const url = parseTargetUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookupHost(host);
    } catch {
      throw new UnsafeUrlError(`host ${host} does not resolve`);
    }
  }
  if (!addresses.length) throw new UnsafeUrlError(`host ${host} does not resolve`);
  for (const { address } of addresses) {
    const reason = blockedReason(address, policy);
    if (reason) throw new UnsafeUrlError(`host ${host} resolves to ${address}, which ${reason}`);
  }
  return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}
