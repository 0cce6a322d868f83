import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const DepartmentCreated = defineEvent('department.created', z.object({ departmentId: z.guid(), organizationId: z.guid(), isDefault: z.boolean() }));

export const DEPARTMENT_EVENTS = [DepartmentCreated];
