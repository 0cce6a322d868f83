import { AgentsInit1732000000003 } from './1732000000003-agents-init';

export const agentsMigrations = [AgentsInit1732000000003];
