import fs from 'node:fs';
import path from 'node:path';
import { composeSupergraph } from '../src/federation/compose';
import { generateSubgraphSdl, ROOT } from './sdl';

/** npm run compose: writes schema/<subgraph>.graphql and schema/supergraph.graphql. */
const sdl = generateSubgraphSdl();
for (const [name, text] of Object.entries(sdl)) {
  fs.writeFileSync(path.join(ROOT, 'schema', `${name}.graphql`), text);
  console.log(`schema/${name}.graphql`);
}
const supergraph = composeSupergraph(path.join(ROOT, 'supergraph.yaml'));
fs.writeFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), supergraph);
console.log('schema/supergraph.graphql');
