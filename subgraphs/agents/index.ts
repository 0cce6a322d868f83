import 'reflect-metadata';
import { runSubgraphProcess } from '../../src/federation/run-subgraph';
import { agentsSubgraph } from './server';

void runSubgraphProcess(agentsSubgraph);
