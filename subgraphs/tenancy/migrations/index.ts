import { TenancyInit1732000000001 } from './1732000000001-tenancy-init';
import { Organizations1764000000100 } from './1764000000100-organizations';
import { EndUserManagement1764000000200 } from './1764000000200-end-user-management';
import { OAuthSignIn1764000000300 } from './1764000000300-oauth-sign-in';
import { ApiKeysV11764000000400 } from './1764000000400-api-keys-v1';
import { TenantAdmins1764000000500 } from './1764000000500-tenant-admins';
import { TierInCredentials1764100000300 } from './1764100000300-tier-in-credentials';
import { Webhooks1764100000400 } from './1764100000400-webhooks';
import { DefaultOrganizationInCredentials1764100000800 } from './1764100000800-default-organization-in-credentials';
import { DefaultOrganizationRoleInCredentials1764100000900 } from './1764100000900-default-organization-role-in-credentials';

export const tenancyMigrations = [TenancyInit1732000000001, Organizations1764000000100, EndUserManagement1764000000200, OAuthSignIn1764000000300, ApiKeysV11764000000400, TenantAdmins1764000000500, TierInCredentials1764100000300, Webhooks1764100000400, DefaultOrganizationInCredentials1764100000800, DefaultOrganizationRoleInCredentials1764100000900];
