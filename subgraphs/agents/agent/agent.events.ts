import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const AgentCreated = defineEvent('agent.created', z.object({ agentId: z.guid() }));

export const AGENT_EVENTS = [AgentCreated];
