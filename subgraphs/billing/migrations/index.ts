import { BillingInit1732000000002 } from './1732000000002-billing-init';

export const billingMigrations = [BillingInit1732000000002];
