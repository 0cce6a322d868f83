import assert from 'node:assert/strict';
import { SecretBox } from '../../src/auth/secret-box';

describe('SecretBox (secrets sealed at rest)', () => {
  const box = new SecretBox('platform-secret-for-tests-0123456789abcdef', 'agent-mcp-credentials');

  it('opens what it sealed, with a fresh IV each time', () => {
    const [a, b] = [box.seal('token-1'), box.seal('token-1')];
    assert.notEqual(a, b);
    assert.doesNotMatch(a, /token-1/);
    assert.equal(box.open(a), 'token-1');
    assert.equal(box.open(b), 'token-1');
  });

  it('refuses a value of another purpose or secret, a tampered one and an unknown format', () => {
    const sealed = box.seal('token-1');
    assert.throws(() => new SecretBox('platform-secret-for-tests-0123456789abcdef', 'another-purpose').open(sealed));
    assert.throws(() => new SecretBox('another-platform-secret-0123456789abcdef', 'agent-mcp-credentials').open(sealed));
    const [version, iv, tag, data] = sealed.split('.');
    const flipped = (data[0] === 'A' ? 'B' : 'A') + data.slice(1);
    assert.throws(() => box.open([version, iv, tag, flipped].join('.')));
    assert.throws(() => box.open('plain text'), /unknown sealed secret format/);
  });
});
