import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gqlData, rest, uniqueIp } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { outbox } from '../tenancy/organization-helpers';

/** /api/v1/pixel (000_… "Pixel Tracking") through the router, as pages' scripts call it: no credential. */
describe('/api/v1/pixel config and tracking', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let other: TestTenant;
  let pixelId: string;
  const page = 'https://shop.example';
  const pageview = { event: 'pageview', url: 'https://shop.example/page', referrer: 'https://google.com', user_agent: 'Mozilla/5.0...', properties: { title: 'Page Title' } };

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
    pixelId = (await gqlData('{ pixel { id enabled allowedOrigins } }', {}, { bearer: tenant.secret_key })).pixel.id;
  });

  const events = async (t: TestTenant) => (await gqlData('{ pixelEvents(perPage: 100) { total items { event url referrer userAgent origin properties } } }', {}, { bearer: t.secret_key })).pixelEvents;
  const setPixel = (input: Record<string, unknown>) => gqlData('mutation($input: UpdatePixelInput!) { updatePixel(input: $input) { id } }', { input }, { bearer: tenant.secret_key });

  it("answers the documented configuration for the page's pixel, and a disabled one when none is named", async () => {
    const config = await rest('GET', `/api/v1/pixel/config?pixel_id=${pixelId}`, undefined, { origin: page });
    assert.equal(config.status, 200, JSON.stringify(config.body));
    assert.deepEqual(config.body, { enabled: true, features: { pageviews: true, events: true, sessions: true }, sample_rate: 1 });
    assert.equal(config.headers.get('access-control-allow-origin'), page);
    const none = await rest('GET', '/api/v1/pixel/config', undefined, { origin: page });
    assert.deepEqual(none.body, { enabled: false, features: { pageviews: false, events: false, sessions: false }, sample_rate: 0 });
    const unknown = await rest('GET', `/api/v1/pixel/config?pixel_id=${randomUUID()}`, undefined, { origin: page });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'not_found');
  });

  it('tracks the documented event without a credential: {"tracked": true}, stored in its workspace with pixel.event.tracked', async () => {
    const tracked = await rest('POST', '/api/v1/pixel/track', { ...pageview, pixel_id: pixelId }, { origin: page });
    assert.equal(tracked.status, 200, JSON.stringify(tracked.body));
    assert.deepEqual(tracked.body, { tracked: true });
    assert.equal(tracked.headers.get('access-control-allow-origin'), page);
    const stored = await events(tenant);
    assert.deepEqual(stored.items[0], { event: 'pageview', url: pageview.url, referrer: pageview.referrer, userAgent: pageview.user_agent, origin: page, properties: pageview.properties });
    const [event] = (await outbox(tenant.tenant_id)).filter((e) => e.type === 'pixel.event.tracked');
    assert.deepEqual({ ...event.payload, pixelEventId: undefined }, { pixelEventId: undefined, pixelId, event: 'pageview', url: pageview.url });
    // The pixel id also works in the query string (a beacon's URL), and nothing leaks to another workspace.
    const viaQuery = await rest('POST', `/api/v1/pixel/track?pixel_id=${pixelId}`, { event: 'signup', url: 'https://shop.example/join', referrer: '' }, { origin: page });
    assert.deepEqual(viaQuery.body, { tracked: true });
    assert.equal((await events(tenant)).total, 2);
    assert.equal((await events(other)).total, 0);
  });

  it('answers preflights for any page (the pixel decides by its allowed origins)', async () => {
    const response = await fetch(`${testPlatform().routerUrl}/api/v1/pixel/track`, {
      method: 'OPTIONS',
      headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), page);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
  });

  it("refuses pages outside the pixel's allowed origins (403), and stores nothing while disabled or not collecting", async () => {
    await setPixel({ allowedOrigins: [page] });
    const elsewhere = await rest('POST', '/api/v1/pixel/track', { ...pageview, pixel_id: pixelId }, { origin: 'https://evil.example' });
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.body.error, 'access_denied');
    assert.equal((await rest('GET', `/api/v1/pixel/config?pixel_id=${pixelId}`)).status, 403, 'a named pixel needs an allowed Origin');
    assert.deepEqual((await rest('POST', '/api/v1/pixel/track', { ...pageview, pixel_id: pixelId }, { origin: page })).body, { tracked: true });

    await setPixel({ features: { pageviews: false } });
    assert.deepEqual((await rest('POST', '/api/v1/pixel/track', { ...pageview, pixel_id: pixelId }, { origin: page })).body, { tracked: false });
    assert.deepEqual((await rest('POST', '/api/v1/pixel/track', { ...pageview, event: 'click', pixel_id: pixelId }, { origin: page })).body, { tracked: true });
    await setPixel({ enabled: false, sampleRate: 0.5 });
    const config = await rest('GET', `/api/v1/pixel/config?pixel_id=${pixelId}`, undefined, { origin: page });
    assert.deepEqual(config.body, { enabled: false, features: { pageviews: false, events: true, sessions: true }, sample_rate: 0.5 });
    assert.deepEqual((await rest('POST', '/api/v1/pixel/track', { ...pageview, event: 'click', pixel_id: pixelId }, { origin: page })).body, { tracked: false });
    await setPixel({ enabled: true, features: { pageviews: true }, sampleRate: 1, allowedOrigins: ['*'] });
    // With no pixel named at all there is nowhere to store it.
    assert.deepEqual((await rest('POST', '/api/v1/pixel/track', pageview, { origin: page })).body, { tracked: false });
  });

  it('validates the event: 422 naming each field', async () => {
    const invalid = await rest('POST', '/api/v1/pixel/track', { event: 'page view!', url: 'javascript:alert(1)', referrer: 'nope', pixel_id: pixelId }, { origin: page });
    assert.equal(invalid.status, 422, JSON.stringify(invalid.body));
    assert.deepEqual(Object.keys(invalid.body.errors).sort(), ['event', 'referrer', 'url']);
    const missing = await rest('POST', '/api/v1/pixel/track', { pixel_id: pixelId }, { origin: page });
    assert.equal(missing.status, 422);
    assert.deepEqual(Object.keys(missing.body.errors).sort(), ['event', 'url']);
    const big = await rest('POST', '/api/v1/pixel/track', { ...pageview, properties: { blob: 'x'.repeat(9000) }, pixel_id: pixelId }, { origin: page });
    assert.equal(big.status, 422);
    assert.deepEqual(Object.keys(big.body.errors), ['properties']);
  });

  it('limits tracking without credentials to 300 requests per minute per client IP: 429 rate_limit_exceeded beyond', async () => {
    const ip = uniqueIp();
    const track = () => rest('POST', '/api/v1/pixel/track', { ...pageview, pixel_id: pixelId }, { origin: page, ip });
    const statuses: number[] = [];
    for (let batch = 0; batch < 30; batch += 1) statuses.push(...(await Promise.all(Array.from({ length: 10 }, track))).map((r) => r.status));
    assert.deepEqual([...new Set(statuses)], [200]);
    const refused = await track();
    assert.equal(refused.status, 429);
    const retryAfter = refused.body.retry_after;
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.deepEqual(refused.body, {
      error: 'rate_limit_exceeded',
      message: `Too many requests. Please retry after ${retryAfter} seconds.`,
      retry_after: retryAfter,
      limit: 300,
      remaining: 0,
      reset_at: refused.body.reset_at,
    });
    assert.ok(Date.parse(refused.body.reset_at) > Date.now());
    assert.equal(refused.headers.get('retry-after'), String(refused.body.retry_after));
    // A server with its key runs at its tier's limit instead; another visitor is not affected.
    const withKey = await rest('POST', '/api/v1/pixel/track', pageview, { bearer: tenant.secret_key, ip });
    assert.deepEqual([withKey.status, withKey.body], [200, { tracked: true }]);
    assert.equal((await rest('POST', '/api/v1/pixel/track', { ...pageview, pixel_id: pixelId }, { origin: page })).status, 200);
  });
});
