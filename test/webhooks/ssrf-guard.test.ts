import assert from 'node:assert/strict';
import { blockedReason, resolveSafeTarget, UnsafeUrlError, type HostLookup } from '../../src/net/ssrf-guard';
import { postWebhook } from '../../subgraphs/tenancy/webhook/webhook.http';
import { Receiver } from './receiver';

const STRICT = { allowPrivateNetworks: false };
const LOCAL_DEV = { allowPrivateNetworks: true };

async function refusal(url: string, policy = STRICT, lookupHost?: HostLookup): Promise<string | undefined> {
  try {
    await resolveSafeTarget(url, policy, lookupHost);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof UnsafeUrlError, String(error));
    return error.message;
  }
}

/** A scripted DNS: each name answers its addresses (unknown names do not resolve). */
function dns(answers: Record<string, string[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookupHost = async (host: string) => {
    asked.push(host);
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookupHost, { asked });
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
    ['::ffff:100.64.0.1', 'IPv4-mapped CGNAT'],
    ['::ffff:e000:1', 'IPv4-mapped multicast, hex'],
    ['0:0:0:0:0:ffff:7f00:1', 'IPv4-mapped loopback, expanded'],
    ['::ffff:0:7f00:1', 'IPv4-translated loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['::169.254.169.254', 'IPv4-compatible metadata'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 metadata'],
    ['64:ff9b::10.0.0.1', 'NAT64 private'],
    ['2002:a9fe:a9fe::1', '6to4 metadata'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['fec0::1', 'IPv6 site-local'],
    ['100.64.0.0', 'CGNAT, first'],
    ['100.127.255.255', 'CGNAT, last'],
    ['169.254.170.2', 'metadata (AWS ECS)'],
    ['192.0.0.192', 'metadata (Oracle)'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
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
    // Each blocked range in a spelling other than dotted decimal.
    const forms: Array<[string, RegExp]> = [
      ['https://0xa.0x1.0x2.0x3/', /private/], // 10.1.2.3
      ['https://3232235777/', /private/], // 192.168.1.1
      ['https://0251.0376.0251.0376/', /metadata/], // 169.254.169.254, octal
      ['https://169.254.43518/', /metadata/], // two trailing parts as one 16-bit number
      ['https://0x64400001/', /private/], // 100.64.0.1, CGNAT
      ['https://0xe0000001/', /multicast/], // 224.0.0.1
      ['https://0xa9fe0101/', /link-local/], // 169.254.1.1
      ['https://[0:0:0:0:0:ffff:a9fe:a9fe]/', /metadata/],
      ['https://[::ffff:0a00:0001]/', /private/],
      ['https://%31%32%37.0.0.1/', /loopback/], // percent-encoded digits
      ['https://127.0.0.1./', /loopback/], // trailing dot
    ];
    for (const [url, reason] of forms) assert.match((await refusal(url)) ?? 'accepted', reason, url);
  });

  it('refuses DNS names whose answers fall in any blocked range, checking every answer', async () => {
    const lookupHost = dns({
      'private.example': ['10.0.0.7'],
      'loopback.example': ['127.0.0.1'],
      'link-local.example': ['169.254.8.8'],
      'cgnat.example': ['100.64.12.1'],
      'mapped.example': ['::ffff:7f00:1'],
      'multicast.example': ['239.1.1.1'],
      'metadata.example': ['169.254.169.254'],
      'metadata6.example': ['fd00:ec2::254'],
      'ula.example': ['fd00::5'],
      // One bad answer among good ones is enough: the connection could pick it.
      'mixed.example': ['93.184.216.34', '2606:4700::1', '192.168.0.10'],
    });
    const expected: Record<string, RegExp> = {
      'private.example': /resolves to 10\.0\.0\.7, which is a private or loopback address/,
      'loopback.example': /private or loopback/,
      'link-local.example': /link-local/,
      'cgnat.example': /private or loopback/,
      'mapped.example': /resolves to ::ffff:7f00:1, which is a private or loopback address/,
      'multicast.example': /multicast/,
      'metadata.example': /cloud metadata/,
      'metadata6.example': /cloud metadata/,
      'ula.example': /private or loopback/,
      'mixed.example': /resolves to 192\.168\.0\.10/,
    };
    for (const [host, reason] of Object.entries(expected)) assert.match((await refusal(`https://${host}/hook`, STRICT, lookupHost)) ?? 'accepted', reason, host);
    // Allowing private networks still refuses names that resolve to metadata or link-local addresses.
    for (const host of ['metadata.example', 'metadata6.example', 'link-local.example', 'multicast.example']) {
      assert.ok(await refusal(`http://${host}/`, LOCAL_DEV, lookupHost), host);
    }
    assert.equal(await refusal('http://private.example/', LOCAL_DEV, lookupHost), undefined);
    assert.equal(await refusal('https://nowhere.example/', STRICT, lookupHost), 'host nowhere.example does not resolve');
    const target = await resolveSafeTarget('https://mixed.example/', STRICT, dns({ 'mixed.example': ['93.184.216.34', '2606:4700::1'] }));
    assert.deepEqual([target.address, target.family], ['93.184.216.34', 4]);
  });

  it('connects to the address it checked: no second lookup, so a DNS answer that changes cannot redirect it', async () => {
    const receiver = await new Receiver().start();
    try {
      const port = new URL(receiver.url('/')).port;
      // The first answer is the receiver; any later one would be the metadata service (DNS rebinding).
      let answers = 0;
      const rebinding: HostLookup = async () => [{ address: answers++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
      const result = await postWebhook({ url: `http://hook.invalid:${port}/pinned`, headers: {}, body: '{}', timeoutMs: 2000, policy: LOCAL_DEV, lookupHost: rebinding });
      assert.deepEqual([result.success, result.statusCode, answers], [true, 200, 1]);
      // It reached the receiver by the checked address, while still naming the URL's host (TLS would verify that name).
      assert.deepEqual([receiver.at('/pinned').length, receiver.at('/pinned')[0].headers.host], [1, `hook.invalid:${port}`]);
      // A refused answer is never connected to.
      const refused = await postWebhook({ url: `http://hook.invalid:${port}/never`, headers: {}, body: '{}', timeoutMs: 2000, policy: LOCAL_DEV, lookupHost: dns({ 'hook.invalid': ['169.254.169.254'] }) });
      assert.deepEqual([refused.success, receiver.at('/never').length], [false, 0]);
      assert.match(refused.error!, /URL refused: host hook.invalid resolves to 169\.254\.169\.254, which is a cloud metadata address/);
    } finally {
      await receiver.stop();
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
