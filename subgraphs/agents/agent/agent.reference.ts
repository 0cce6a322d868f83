import { tenantReference } from '../../../src/federation/reference';
import type { AgentService } from './agent.service';

/** Other subgraphs' `Agent` references, within the caller's tenant (the type's scopes are checked by the guard). */
export const agentReference = (agents: AgentService) => tenantReference((context, tenantId, id) => agents.load(context, tenantId, id));
