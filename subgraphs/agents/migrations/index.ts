import { AgentsInit1732000000003 } from './1732000000003-agents-init';
import { Agents1764100000500 } from './1764100000500-agents';
import { ExternalAgentCalls1764100000700 } from './1764100000700-external-agent-calls';

export const agentsMigrations = [AgentsInit1732000000003, Agents1764100000500, ExternalAgentCalls1764100000700];
