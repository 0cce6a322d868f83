import { snakeCase, type RestProfile } from '../profile';
import { AUTH_ENDPOINTS } from './auth.endpoints';
import { V1_TYPE_DEFS } from './types.graphql';

/** The BaaS API (`001_…`): errors are `{"detail": "..."}` (422 adds the failing fields). */
export function v1Profile(version: string): RestProfile {
  return {
    name: 'v1',
    basePath: '/v1',
    title: 'BaaS API (v1)',
    description: 'End-user authentication, organizations, subscriptions and agents for SaaS frontends.',
    version,
    typeDefs: V1_TYPE_DEFS,
    endpoints: [...AUTH_ENDPOINTS],
    wireName: snakeCase,
    errorBody: ({ message, fields }) => (fields?.length ? { detail: message, errors: fields } : { detail: message }),
  };
}
