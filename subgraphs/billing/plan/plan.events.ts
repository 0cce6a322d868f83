import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const PlanCreated = defineEvent('plan.created', z.object({ planId: z.guid(), name: z.string(), isFree: z.boolean() }));
export const PlanUpdated = defineEvent('plan.updated', z.object({ planId: z.guid(), changed: z.array(z.string()) }));
export const PlanArchived = defineEvent('plan.archived', z.object({ planId: z.guid() }));

export const PLAN_EVENTS = [PlanCreated, PlanUpdated, PlanArchived];
