import fs from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from '../src/federation/compose';
import { supergraphYaml } from './supergraph-yaml';
import { generateSubgraphSdl, ROOT } from './sdl';

/**
 * npm run compose: writes supergraph.yaml from the subgraph list (subgraphs/definitions.ts),
 * schema/<subgraph>.graphql from each subgraph's code, and schema/supergraph.graphql.
 */
fs.writeFileSync(path.join(ROOT, 'supergraph.yaml'), supergraphYaml());
console.log('supergraph.yaml');
const sdl = generateSubgraphSdl();
for (const [name, text] of Object.entries(sdl)) {
  fs.writeFileSync(path.join(ROOT, 'schema', `${name}.graphql`), text);
  console.log(`schema/${name}.graphql`);
}
const supergraph = composeSupergraph(path.join(ROOT, 'supergraph.yaml'));
fs.writeFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), supergraph);
console.log('schema/supergraph.graphql');
