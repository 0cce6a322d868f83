import { BillingInit1732000000002 } from './1732000000002-billing-init';

import { BillingPlansSubscriptions1764100000100 } from './1764100000100-billing-plans-subscriptions';
import { UsageCounters1764100000200 } from './1764100000200-usage-counters';
import { PaymentProviders1764100000300 } from './1764100000300-payment-providers';

export const billingMigrations = [BillingInit1732000000002, BillingPlansSubscriptions1764100000100, UsageCounters1764100000200, PaymentProviders1764100000300];
