import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ExecutionResult } from 'graphql';
import { PROJECT_ROOT } from '../../src/paths';
import type { Logger } from '../../src/logger';
import { createRestFaces } from '../../router/rest/dispatcher';
import { documentSchema, readEndpoints, readFaceDocuments, RestDocumentError, routeConflicts } from '../../router/rest/documents';
import type { RestFace } from '../../router/rest/face';
import { REST_FACES } from '../../router/rest/faces';

const SUPERGRAPH = fs.readFileSync(path.join(PROJECT_ROOT, 'schema/supergraph.graphql'), 'utf8');
const silent = { error() {}, warn() {}, info() {}, debug() {} } as unknown as Logger;

/** A face made of inline documents, for the checks that need endpoints no real face has yet. */
function inlineFace(face: Partial<RestFace> & { name: string; basePath: string }, text: string): { face: RestFace; files: ReturnType<typeof readFaceDocuments> } {
  const full: RestFace = {
    title: face.name,
    description: '',
    documents: {},
    openApiPaths: [`${face.basePath}/${face.name}/openapi.json`],
    errorBody: ({ message }) => ({ detail: message }),
    ...face,
  };
  return { face: full, files: [{ name: `${face.name}.graphql`, tag: face.name, text }] };
}

describe('REST endpoint documents', () => {
  const schema = documentSchema(SUPERGRAPH);

  it('every document of every face is valid against schema/supergraph.graphql', () => {
    for (const face of REST_FACES) {
      const endpoints = readEndpoints(face, schema);
      assert.ok(endpoints.length > 0, `${face.name} declares endpoints`);
      for (const e of endpoints) assert.doesNotMatch(e.query, /@rest/, 'the route directive is not sent to the gateway');
    }
  });

  it('no two endpoints of any face claim the same method and path', () => {
    const read = REST_FACES.map((face) => ({ face, endpoints: readEndpoints(face, schema) }));
    assert.deepEqual(routeConflicts(read), []);
  });

  it('generates the /v1 OpenAPI document from the documents: wire arguments, documented bodies, statuses', () => {
    const rest = createRestFaces(REST_FACES, async () => ({}), silent, schema);
    const doc = rest.faces.find((f) => f.face.basePath === '/v1')!.openApiDocument() as any;
    const register = doc.paths['/v1/auth/register'].post;
    assert.deepEqual(register.requestBody.content['application/json'].schema.required, ['email', 'password']);
    assert.ok(register.requestBody.content['application/json'].schema.properties.display_name);
    assert.ok(register.responses['201'], 'register documents 201');
    assert.deepEqual(doc.paths['/v1/auth/me'].get.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/User' });
    assert.deepEqual(doc.components.schemas.User.properties.created_at, { type: 'string', format: 'date-time' });
    assert.deepEqual(doc.paths['/v1/auth/login'].post.tags, ['Authentication']);
    // sofa's own (in-memory, unsigned) subscription webhooks live at {basePath}/webhook; Stripe's documented endpoint is ours
    assert.ok(!Object.keys(doc.paths).some((p) => /^\/v1\/webhook(\/|$)/.test(p)), "sofa's webhook routes are not part of the face");
    assert.ok(doc.paths['/v1/billing/webhook'].post, "Stripe's webhook is a documented endpoint");
  });

  it('fails when the supergraph renames a selected field', () => {
    const renamed = documentSchema(SUPERGRAPH.replace(/^(\s+)displayName: String/m, '$1nickname: String'));
    const v1 = REST_FACES.find((f) => f.basePath === '/v1')!;
    assert.throws(
      () => readEndpoints(v1, renamed),
      (error: unknown) => error instanceof RestDocumentError && /Cannot query field "displayName" on type "EndUser"/.test(error.message) && /auth\.graphql:\d+/.test(error.message),
    );
  });

  it('reports every broken declaration at once', () => {
    const { face, files } = inlineFace(
      { name: 'broken', basePath: '/api/broken' },
      `query noRoute { me { id } }
       query badParam($id: ID!) @rest(method: GET, path: "/agents/:agent_id") { agent(id: $id) { id } }
       query badTransform @rest(method: GET, path: "/me", transform: "nope") { me { id } }
       query twoRoots @rest(method: GET, path: "/two") { me { id } currentTenant { id } }`,
    );
    assert.throws(
      () => readEndpoints(face, schema, files),
      (error: unknown) =>
        error instanceof RestDocumentError &&
        error.problems.length === 4 &&
        /noRoute: needs exactly one @rest/.test(error.message) &&
        /path parameter :agent_id/.test(error.message) &&
        /transform "nope"/.test(error.message) &&
        /exactly one root field/.test(error.message),
    );
  });

  it('reads redirect endpoints (302) and refuses one that is a page or selects more than the URL', () => {
    const good = inlineFace({ name: 'ok', basePath: '/api/ok' }, `mutation back($state: String) @rest(method: GET, path: "/back", redirect: true) { completeGoogleSignIn(state: $state) { location } }`);
    const [endpoint] = readEndpoints(good.face, schema, good.files);
    assert.deepEqual([endpoint.redirect, endpoint.status], [true, 302]);
    const bad = inlineFace(
      { name: 'bad', basePath: '/api/bad', pageBody: (page) => page },
      `query paged @rest(method: GET, path: "/paged", redirect: true, page: true) { me { id } }
       query twoFields @rest(method: GET, path: "/two", redirect: true) { me { id email } }`,
    );
    assert.throws(
      () => readEndpoints(bad.face, schema, bad.files),
      (error: unknown) =>
        error instanceof RestDocumentError && /paged: a redirect cannot be a page/.test(error.message) && /twoFields: a redirect selects exactly one field/.test(error.message),
    );
  });

  it('finds two faces claiming the same route under a shared base path', () => {
    const a = inlineFace({ name: 'a', basePath: '/api/v1' }, `query me @rest(method: GET, path: "/agents/:id") { agent(id: $id) { id } }`.replace('query me', 'query me($id: ID!)'));
    const b = inlineFace({ name: 'b', basePath: '/api/v1' }, `query agent($agent_id: ID!) @rest(method: GET, path: "/agents/:agent_id") { agent(id: $agent_id) { name } }`);
    const conflicts = routeConflicts([a, b].map(({ face, files }) => ({ face, endpoints: readEndpoints(face, schema, files) })));
    assert.equal(conflicts.length, 1);
    assert.match(conflicts[0], /GET \/api\/v1\/agents\/:agent_id: a\.me .* and b\.agent/);
  });
});

describe('REST faces sharing a base path', () => {
  // Two faces under /api/test, like 000 (core: {"error","message"}, {"data": …}) and 002 (tool
  // builder: {"detail"}, {items,total} pages) under /api/v1. No real endpoint lives there yet, so
  // the gateway is replaced by a runner that records the operations and answers canned results.
  const calls: { query: string; variables: Record<string, unknown> }[] = [];
  const answers: Record<string, ExecutionResult> = {
    core_me: { data: { me: { id: 'u1', email: 'jo@example.com' } } },
    core_forget: { data: { forgotPassword: { message: 'sent' } } },
    tools_agent: { data: { agent: { id: 'a1', agent_name: 'Helper' } } },
    tools_agents: { data: { agents: { items: [{ id: 'a1' }], total: 1 } } },
    tools_find: { data: { agent: { id: 'a1' } } },
    tools_create: { errors: [{ message: 'Validation failed', extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'input.systemPrompt', message: 'is too long' }] } }] as any },
  };
  const core: RestFace = {
    name: 'core',
    basePath: '/api/test',
    title: 'core',
    description: '',
    documents: {},
    openApiPaths: ['/api/test/openapi.json'],
    errorBody: ({ code, message }) => ({ error: code.toLowerCase(), message }),
    successBody: (body) => ({ data: body }),
    successHeaders: { 'x-face': 'core' },
  };
  const tools: RestFace = {
    name: 'tools',
    basePath: '/api/test',
    title: 'tools',
    description: '',
    documents: {},
    openApiPaths: ['/api/test/tools/openapi.json'],
    errorBody: ({ message, fields }) => (fields ? { detail: message, errors: fields } : { detail: message }),
    pageBody: (page) => ({ items: page.items, total: page.total }),
  };
  const documents: Record<string, string> = {
    core: `
      query core_me @rest(method: GET, path: "/me") { me { id email } }
      mutation core_forget($email: String!) @rest(method: POST, path: "/forget", status: 204) { forgotPassword(email: $email) { message } }`,
    tools: `
      query tools_agent($agent_id: ID!) @rest(method: GET, path: "/agents/:agent_id") { agent(id: $agent_id) { id agent_name: name } }
      query tools_find($id: ID!) @rest(method: GET, path: "/find") { agent(id: $id) { id } }
      # the supergraph has no {items, total} list yet: aliases stand in for one (the runner answers the page)
      query tools_agents($limit: Int) @rest(method: GET, path: "/agents", page: true) { agents(first: $limit) { items: __typename total: __typename } }
      mutation tools_create($name: String!, $model: String!, $system_prompt: String)
      @rest(method: POST, path: "/agents") { createAgent(input: { name: $name, model: $model, systemPrompt: $system_prompt }) { id } }`,
  };
  let server: http.Server;
  let base: string;

  before(async () => {
    const read = (face: RestFace) => [{ name: `${face.name}.graphql`, tag: face.name, text: documents[face.name] }];
    const run = async (query: string, variables: Record<string, unknown>) => {
      calls.push({ query, variables });
      return answers[/^(?:query|mutation) (\w+)/.exec(query)![1]];
    };
    const rest = createRestFaces([core, tools], run, silent, documentSchema(SUPERGRAPH), (face) => read(face));
    server = http.createServer(async (req, res) => {
      const match = rest.match(req.method!, new URL(req.url!, 'http://x').pathname);
      if (!match) return void res.writeHead(418).end();
      await rest.handle(req, res, match, { requestId: 'r', ip: '127.0.0.1' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(base + url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
  };

  it('routes by method and path across faces; each face applies its own success policy', async () => {
    const me = await call('GET', '/api/test/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { data: { id: 'u1', email: 'jo@example.com' } });
    assert.equal(me.headers.get('x-face'), 'core');

    calls.length = 0;
    const agent = await call('GET', '/api/test/agents/a1');
    assert.deepEqual(agent.body, { id: 'a1', agent_name: 'Helper' });
    assert.equal(agent.headers.get('x-face'), null);
    assert.deepEqual(calls[0].variables, { agent_id: 'a1' });
    assert.doesNotMatch(calls[0].query, /@rest/);

    const page = await call('GET', '/api/test/agents?limit=5');
    assert.deepEqual(page.body, { items: [{ id: 'a1' }], total: 1 });
    assert.deepEqual(calls[1].variables, { limit: 5 });
  });

  it('answers errors in the shape of the face that owns the endpoint', async () => {
    const wrongMethod = await call('DELETE', '/api/test/agents/a1');
    assert.equal(wrongMethod.status, 405);
    assert.deepEqual(Object.keys(wrongMethod.body), ['detail']);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');

    const missing = await call('POST', '/api/test/agents', { name: 7 });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.errors, [
      { field: 'name', message: 'must be a string' },
      { field: 'model', message: 'is required' },
    ]);

    const failing = await call('POST', '/api/test/agents', { name: 'x', model: 'y', system_prompt: 'z' });
    assert.equal(failing.status, 422);
    assert.deepEqual(failing.body.errors, [{ field: 'system_prompt', message: 'is too long' }], 'GraphQL argument paths come back as wire names');

    const missingQuery = await call('GET', '/api/test/find');
    assert.equal(missingQuery.status, 422);
    assert.deepEqual(missingQuery.body.errors, [{ field: 'id', message: 'is required' }]);
    assert.deepEqual((await call('GET', '/api/test/find?id=a1')).body, { id: 'a1' });

    const missingInCore = await call('POST', '/api/test/forget', {});
    assert.equal(missingInCore.status, 422);
    assert.deepEqual(missingInCore.body, { error: 'validation_failed', message: 'Validation failed: email is required' });
  });

  it('gives unknown paths under the shared base the first listed face\'s error body', async () => {
    const unknown = await call('GET', '/api/test/nothing-here');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'not_found', message: 'No route for GET /api/test/nothing-here' });
  });

  it('sends 204 without a body, and one OpenAPI document per face', async () => {
    const forget = await call('POST', '/api/test/forget', { email: 'jo@example.com' });
    assert.equal(forget.status, 204);
    assert.equal(forget.text, '');
    const coreDoc = await call('GET', '/api/test/openapi.json');
    const toolsDoc = await call('GET', '/api/test/tools/openapi.json');
    assert.deepEqual(Object.keys(coreDoc.body.paths).sort(), ['/api/test/forget', '/api/test/me']);
    assert.deepEqual(Object.keys(toolsDoc.body.paths).sort(), ['/api/test/agents', '/api/test/agents/{agent_id}', '/api/test/find']);
  });
});
