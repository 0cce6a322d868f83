import assert from 'node:assert/strict';
import { Kind, type TypeNode } from 'graphql';
import { documentSchema, readEndpoints, type RestEndpoint } from '../../router/rest/documents';
import { REST_FACES } from '../../router/rest/faces';
import { rest, uniqueIp, type CallOptions } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';

/** A value of the wrong kind for a variable of type `type` (a string where a number is due, and so on). */
function wrongValue(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return wrongValue(type.type);
  if (type.kind === Kind.LIST_TYPE) return 'not-a-list';
  return ['Int', 'Float', 'Boolean'].includes(type.name.value) ? 'not-a-number' : { nested: ['not', 'a', 'scalar'] };
}

/** Path parameters filled with `value`; the rest of the route as declared. */
function pathOf(face: string, endpoint: RestEndpoint, value: string): string {
  const base = REST_FACES.find((f) => f.name === face)!.basePath;
  return base + endpoint.path.replace(/:[a-z_]+/gi, encodeURIComponent(value));
}

/**
 * "Bad input gets a clear error and loses nothing": every REST endpoint of every face, called by a
 * secret key with every scope, by an end user, and by both together, with malformed ids, missing bodies and values of
 * the wrong type, answers with a 4xx of its face, never a 5xx.
 */
describe('no REST endpoint answers bad input with a server error', function () {
  this.timeout(300_000);
  let tenant: TestTenant;
  let user: TestUser;
  const endpoints = REST_FACES.flatMap((face) => readEndpoints(face, documentSchema()).map((endpoint) => ({ face: face.name, endpoint })));

  before(async () => {
    tenant = await createTenant({ name: 'Bad Input Co', tier: 'enterprise' });
  });

  it(`covers every endpoint (${endpoints.length})`, async () => {
    const callers: Array<[string, () => CallOptions]> = [
      ['secret key', () => ({ bearer: tenant.secret_key, ip: uniqueIp() })],
      ['end user', () => ({ apiKey: tenant.public_key, bearer: user.accessToken, ip: uniqueIp() })],
      ['secret key with an end user', () => ({ apiKey: tenant.secret_key, bearer: user.accessToken, ip: uniqueIp() })],
    ];
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    for (const { face, endpoint } of endpoints) {
      // a fresh end user each time: endpoints such as logout or delete end the previous one's session
      user = await registerUser(tenant);
      const wrongBody = Object.fromEntries(endpoint.variables.map((v) => [v.variable.name.value, wrongValue(v.type)]));
      const attempts: Array<[string, string, unknown]> = [
        ['malformed id, no body', pathOf(face, endpoint, 'not-an-id'), endpoint.method === 'GET' || endpoint.method === 'DELETE' ? undefined : {}],
        ['unknown id, wrong types', pathOf(face, endpoint, '00000000-0000-4000-8000-000000000000'), endpoint.method === 'GET' || endpoint.method === 'DELETE' ? undefined : wrongBody],
        ['malformed JSON', pathOf(face, endpoint, 'x'), endpoint.method === 'GET' ? undefined : '{"unterminated'],
      ];
      for (const [callerName, options] of callers) {
        for (const [what, path, body] of attempts) {
          const query = endpoint.method === 'GET' ? `?${endpoint.variables.map((v) => `${v.variable.name.value}=%7B%7D`).join('&')}` : '';
          const answer = await rest(endpoint.method, path + query, body, options());
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          if (answer.status >= 500) failures.push(`${endpoint.method} ${path} (${endpoint.name}; ${callerName}; ${what}) → ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    // the sweep reaches the endpoints' own checks, not only the door: most answers are no 401/403
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    assert.ok((statuses[401] ?? 0) + (statuses[403] ?? 0) < total / 4, JSON.stringify(statuses));
  });
});
