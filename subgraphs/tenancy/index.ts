import 'reflect-metadata';
import { runSubgraphProcess } from '../../src/federation/run-subgraph';
import { tenancySubgraph } from './server';

void runSubgraphProcess(tenancySubgraph);
