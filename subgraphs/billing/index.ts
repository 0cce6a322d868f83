import 'reflect-metadata';
import { runSubgraphProcess } from '../../src/federation/run-subgraph';
import { billingSubgraph } from './server';

void runSubgraphProcess(billingSubgraph);
