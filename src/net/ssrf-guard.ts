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
const ALWAYS_BLOCKED = blockList(
  ['0.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'],
  ['::/128', 'fe80::/10', 'ff00::/8'],
);

// Private networks: allowed only with the setting.
const PRIVATE = blockList(
  ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'],
  ['::1/128', 'fc00::/7', '2001:db8::/32', '64:ff9b::/96', '100::/64'],
);

/** `::ffff:7f00:1` / `::ffff:127.0.0.1` → `127.0.0.1`: mapped addresses are checked as the IPv4 they are. */
function unmapped(address: string): { address: string; family: 4 | 6 } {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return { address: dotted[1], family: 4 };
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return { address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, family: 4 };
  }
  return { address, family: isIP(address) === 4 ? 4 : 6 };
}

/** Why `address` may not be connected to under `policy`, or undefined when it may. */
export function blockedReason(rawAddress: string, policy: SsrfPolicy): string | undefined {
  const { address, family } = unmapped(rawAddress);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (METADATA.check(address, type)) return 'is a cloud metadata address';
  if (ALWAYS_BLOCKED.check(address, type)) return 'is a link-local, multicast or reserved address';
  if (!policy.allowPrivateNetworks && PRIVATE.check(address, type)) return 'is a private or loopback address';
  return undefined;
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

/**
 * Resolves the URL's host and checks every address it resolves to; the caller connects to the
 * returned address (a DNS answer that changes between the check and the connection cannot
 * point the request somewhere else).
 */
export async function resolveSafeTarget(raw: string, policy: SsrfPolicy): Promise<SafeTarget> {
  const url = parseTargetUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
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
