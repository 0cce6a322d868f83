import assert from 'node:assert/strict';
import { blockedReason, resolveSafeTarget, UnsafeUrlError } from '../../src/net/ssrf-guard';

const STRICT = { allowPrivateNetworks: false };
const LOCAL_DEV = { allowPrivateNetworks: true };

async function refusal(url: string, policy = STRICT): Promise<string | undefined> {
  try {
    await resolveSafeTarget(url, policy);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof UnsafeUrlError, String(error));
    return error.message;
  }
}

/** The SSRF table (src/net/ssrf-guard.ts) without WEBHOOK_ALLOW_PRIVATE_NETWORKS, and what the setting changes. */
describe('webhook SSRF guard', () => {
  const blocked: Array<[string, string]> = [
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata (Alibaba)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'IPv6 unique local'],
    ['fd12:3456::1', 'IPv6 unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['fd00:ec2::254', 'metadata (AWS IPv6)'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ];
  for (const [address, what] of blocked) {
    it(`refuses ${address} (${what})`, () => assert.ok(blockedReason(address, STRICT), address));
  }

  for (const address of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.32.0.1', '100.128.0.1']) {
    it(`allows the public address ${address}`, () => assert.equal(blockedReason(address, STRICT), undefined));
  }

  it('refuses decimal, hex and octal forms of blocked addresses in URLs', async () => {
    for (const url of ['https://2130706433/', 'https://0x7f000001/', 'https://0x7f.0.0.1/', 'https://017700000001/', 'https://127.1/', 'https://2852039166/', 'https://0xa9fea9fe/', 'https://[::ffff:127.0.0.1]/', 'https://[::1]:8443/x']) {
      assert.ok(await refusal(url), `${url} was accepted`);
    }
  });

  it('refuses DNS names that resolve into blocked ranges', async () => {
    assert.match((await refusal('https://localhost/hook'))!, /resolves to (127\.0\.0\.1|::1)/);
    assert.match((await refusal('https://localhost:8443/hook'))!, /private or loopback/);
  });

  it('accepts only https without the setting, and no credentials in the URL', async () => {
    assert.equal(await refusal('http://93.184.216.34/hook'), 'must be an https URL');
    assert.equal(await refusal('ftp://93.184.216.34/'), 'must be an https URL');
    assert.equal(await refusal('not a url'), 'must be a valid URL');
    assert.equal(await refusal('https://user:pw@93.184.216.34/'), 'must not contain credentials');
    const target = await resolveSafeTarget('https://93.184.216.34:8443/hook', STRICT);
    assert.deepEqual([target.address, target.family, target.url.port], ['93.184.216.34', 4, '8443']);
  });

  it('with WEBHOOK_ALLOW_PRIVATE_NETWORKS: plain http, private and loopback targets, but never metadata or link-local addresses', async () => {
    assert.equal(await refusal('http://127.0.0.1:9/hook', LOCAL_DEV), undefined);
    assert.equal(await refusal('http://2130706433/', LOCAL_DEV), undefined);
    assert.equal(await refusal('http://10.0.0.5/', LOCAL_DEV), undefined);
    assert.equal(await refusal('http://[::1]/', LOCAL_DEV), undefined);
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://[fd00:ec2::254]/', 'http://100.100.100.200/', 'http://[::ffff:169.254.169.254]/', 'http://169.254.10.10/', 'http://224.0.0.1/']) {
      assert.ok(await refusal(url, LOCAL_DEV), `${url} was accepted`);
    }
    assert.equal(await refusal('ftp://127.0.0.1/', LOCAL_DEV), 'must be an http(s) URL');
  });
});
