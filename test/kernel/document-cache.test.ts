import assert from 'node:assert/strict';
import { buildSchema } from 'graphql';
import { cachedParseAndValidate } from '../../src/federation/document-cache';

describe('subgraph websockets: parse and validate once per query text', () => {
  const schema = buildSchema('type Query { hello: String } type Subscription { ticks: Int }');

  it('answers the same document for the same text, and its validation without validating again', () => {
    const cache = cachedParseAndValidate();
    const document = cache.parse('subscription { ticks }');
    assert.equal(cache.parse('subscription { ticks }'), document);
    assert.notEqual(cache.parse('subscription  { ticks }'), document);
    const errors = cache.validate(schema, document);
    assert.deepEqual(errors, []);
    assert.equal(cache.validate(schema, document), errors);
  });

  it('keeps validation errors for what the schema refuses, per schema', () => {
    const cache = cachedParseAndValidate();
    const document = cache.parse('subscription { nope }');
    const [error] = cache.validate(schema, document);
    assert.match(error.message, /Cannot query field "nope"/);
    const other = buildSchema('type Query { hello: String } type Subscription { nope: Int }');
    assert.deepEqual(cache.validate(other, document), []);
  });

  it('throws syntax errors as graphql does, without keeping anything', () => {
    const cache = cachedParseAndValidate();
    assert.throws(() => cache.parse('subscription {'), /Syntax Error/);
    assert.throws(() => cache.parse('subscription {'), /Syntax Error/);
  });
});
