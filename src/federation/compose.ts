import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import YAML from 'yaml';

export interface SupergraphConfig {
  federation_version: string;
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

export function readSupergraphConfig(file: string): SupergraphConfig {
  const config = YAML.parse(fs.readFileSync(file, 'utf8')) as SupergraphConfig;
  if (!config?.subgraphs || typeof config.subgraphs !== 'object') throw new Error(`${file}: missing "subgraphs"`);
  return config;
}

/** Composes the supergraph SDL from the subgraph SDL files named in supergraph.yaml. */
export function composeSupergraph(configFile: string, readSdl?: (name: string, file: string) => string): string {
  const config = readSupergraphConfig(configFile);
  const base = path.dirname(configFile);
  const services = Object.entries(config.subgraphs).map(([name, subgraph]) => ({
    name,
    url: subgraph.routing_url,
    typeDefs: parse(readSdl ? readSdl(name, subgraph.schema.file) : fs.readFileSync(path.resolve(base, subgraph.schema.file), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors?.length) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl!.trim() + '\n';
}
