import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration (read and validated once at start-up)', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.deepEqual(config.subgraphPorts, { tenancy: 4001, billing: 4002, agents: 4003, entities: 4004 });
    assert.equal(config.databaseUrl, undefined);
    assert.match(config.dataDir, /\.data$/);
    assert.equal(config.authRateLimitFactor, 1);
    assert.equal(config.apiRateLimitPerMinute, 1000);
    assert.equal(config.pixelTrackRateLimitPerMinute, 300);
  });

  it('fails fast with a message naming the bad setting', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'eighty' }, /PORT/],
      [{ TENANCY_PORT: '70000' }, /TENANCY_PORT/],
      [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
      [{ SMTP_URL: 'http://mail' }, /SMTP_URL/],
      [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
      [{ NODE_ENV: 'staging' }, /NODE_ENV/],
      [{ NODE_ENV: 'production' }, /INTERNAL_SECRET is required/],
      [{ NODE_ENV: 'production', INTERNAL_SECRET: 'x'.repeat(40) }, /JWT_SECRET is required/],
      [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
      [{ AUTH_RATE_LIMIT_FACTOR: '0' }, /AUTH_RATE_LIMIT_FACTOR/],
      [{ API_RATE_LIMIT_PER_MINUTE: '0' }, /API_RATE_LIMIT_PER_MINUTE/],
      [{ PIXEL_TRACK_RATE_LIMIT_PER_MINUTE: 'lots' }, /PIXEL_TRACK_RATE_LIMIT_PER_MINUTE/],
      [{ RATE_LIMITS: 'maybe' }, /RATE_LIMITS/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message), JSON.stringify(env));
    }
  });

  it('accepts production with real secrets', () => {
    const config = loadConfig({ NODE_ENV: 'production', INTERNAL_SECRET: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40) });
    assert.equal(config.nodeEnv, 'production');
    assert.equal(config.jwtSecret, 'j'.repeat(40));
  });
});
