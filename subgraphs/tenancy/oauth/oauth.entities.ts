import { OAuthIdentity } from './oauth-identity.entity';
import { OAuthProviderConfig } from './oauth-provider.entity';
import { OAuthSignInAttempt } from './oauth-sign-in-attempt.entity';

export const OAUTH_ENTITIES = [OAuthProviderConfig, OAuthIdentity, OAuthSignInAttempt];
