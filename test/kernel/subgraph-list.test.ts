import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';
import { supergraphYaml } from '../../scripts/supergraph-yaml';
import { SUBGRAPHS } from '../../subgraphs/definitions';
import { ALL_MIGRATIONS } from '../../subgraphs/migrations';

describe('the subgraph list (subgraphs/definitions.ts) is the one place subgraphs are named', () => {
  it('names each subgraph, setting and default port once', () => {
    for (const key of ['name', 'portSetting', 'urlSetting', 'defaultPort', 'entry'] as const) {
      const values = SUBGRAPHS.map((s) => s[key]);
      assert.equal(new Set(values).size, values.length, `${key} values are unique`);
    }
    for (const { entry } of SUBGRAPHS) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, entry)), `${entry} exists`);
  });

  it('gives the config its ports and URLs, overridable by each setting', () => {
    const env = Object.fromEntries(SUBGRAPHS.flatMap((s, i) => [[s.portSetting, String(5101 + i)]]));
    env[SUBGRAPHS[0].urlSetting] = 'http://elsewhere.example/graphql';
    const config = loadConfig(env);
    SUBGRAPHS.forEach((s, i) => assert.equal(config.subgraphPorts[s.name], 5101 + i));
    assert.equal(config.subgraphUrls[SUBGRAPHS[0].name], 'http://elsewhere.example/graphql');
    assert.equal(config.subgraphUrls[SUBGRAPHS[1].name], `http://127.0.0.1:5102/graphql`);
    const defaults = loadConfig({});
    for (const s of SUBGRAPHS) assert.equal(defaults.subgraphPorts[s.name], s.defaultPort);
  });

  it('gives each subgraph its migrations in a schema of its name', () => {
    assert.deepEqual(
      ALL_MIGRATIONS.map((set) => set.schema),
      ['platform', ...SUBGRAPHS.map((s) => s.name)],
    );
  });

  it('is what supergraph.yaml (composition) lists: run `npm run compose` after changing it', () => {
    assert.equal(fs.readFileSync(path.join(PROJECT_ROOT, 'supergraph.yaml'), 'utf8'), supergraphYaml());
  });
});
