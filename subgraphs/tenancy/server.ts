import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import { createApiKeyResolver } from './api-key/api-key.resolver';
import { ApiKey } from './api-key/api-key.entity';
import { ApiKeyService } from './api-key/api-key.service';
import { AuthProviderResolver } from './auth/auth-provider.resolver';
import { createAuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { RefreshToken, Session } from './auth/session.entity';
import { UserToken } from './auth/user-token.entity';
import { EndUser } from './end-user/end-user.entity';
import { createEndUserResolver } from './end-user/end-user.resolver';
import { EndUserService } from './end-user/end-user.service';
import { MailMessage } from './mail/mail-message.entity';
import { createMailResolver } from './mail/mail.resolver';
import { MailService } from './mail/mail.service';
import { Tenant } from './tenant/tenant.entity';
import { createTenantResolver } from './tenant/tenant.resolver';
import { TenantService } from './tenant/tenant.service';
import type { SubgraphContext } from '../../src/federation/context';

export const TENANCY_ENTITIES = [Tenant, ApiKey, EndUser, Session, RefreshToken, UserToken, MailMessage];

export async function createTenancySchema({ dataSource, config, log, pubSub }: SubgraphDeps) {
  const tenants = new TenantService(dataSource);
  const users = new EndUserService(dataSource);
  const mail = new MailService(dataSource, config.smtpUrl, config.mailFrom, log);
  const auth = new AuthService(dataSource, mail, config);
  const keys = new ApiKeyService(dataSource);
  return buildFederatedSchema({
    resolvers: [
      createTenantResolver(tenants),
      createEndUserResolver(users),
      createAuthResolver(auth),
      AuthProviderResolver,
      createApiKeyResolver(keys, dataSource),
      createMailResolver(mail),
    ],
    pubSub,
    referenceResolvers: {
      EndUser: {
        __resolveReference: (ref: { id: string }, context: SubgraphContext) =>
          context.identity.tenantId ? users.load(context, context.identity.tenantId, ref.id) : null,
      },
      Tenant: {
        __resolveReference: (ref: { id: string }, context: SubgraphContext) =>
          ref.id === context.identity.tenantId ? tenants.byId(ref.id) : null,
      },
    },
  });
}

export const tenancySubgraph: SubgraphDefinition = {
  name: 'tenancy',
  entities: TENANCY_ENTITIES,
  createSchema: createTenancySchema,
};
