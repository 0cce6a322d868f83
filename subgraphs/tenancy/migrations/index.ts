import { TenancyInit1732000000001 } from './1732000000001-tenancy-init';

export const tenancyMigrations = [TenancyInit1732000000001];
