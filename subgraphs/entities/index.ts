import 'reflect-metadata';
import { runSubgraphProcess } from '../../src/federation/run-subgraph';
import { entitiesSubgraph } from './server';

void runSubgraphProcess(entitiesSubgraph);
