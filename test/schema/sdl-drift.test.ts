import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from '../../src/federation/compose';
import { generateSubgraphSdl, ROOT } from '../../scripts/sdl';

describe('committed schema', () => {
  const generated = generateSubgraphSdl();

  for (const [name, sdl] of Object.entries(generated)) {
    it(`schema/${name}.graphql matches the code (run npm run compose)`, () => {
      assert.equal(fs.readFileSync(path.join(ROOT, 'schema', `${name}.graphql`), 'utf8'), sdl);
    });
  }

  it('schema/supergraph.graphql is the composition of the code (run npm run compose)', () => {
    const composed = composeSupergraph(path.join(ROOT, 'supergraph.yaml'), (name) => generated[name as keyof typeof generated]);
    assert.equal(fs.readFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'), composed);
  });

  it('every subgraph takes part in the supergraph', () => {
    const supergraph = fs.readFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
    for (const name of ['TENANCY', 'BILLING', 'AGENTS', 'ENTITIES']) assert.match(supergraph, new RegExp(`${name} @join__graph`));
  });
});
