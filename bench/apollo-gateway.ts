import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { config, type SubgraphName } from '../src/config';
import { readBody, sendJson } from '../src/http/body';
import { bindIdentity, IDENTITY_EXTENSION, sealIdentity, type Identity } from '../src/identity';
import { onShutdown } from '../src/process';

/**
 * The comparison gateway: @apollo/gateway 2 on @apollo/server 5 over plain node:http, serving the
 * same supergraph against the same subgraphs. It has no edge auth of its own: it acts for one
 * tenant with a fixed identity, re-sealed well within the subgraphs' 120 s limit and bound to
 * each subgraph request's operation, as the router does.
 * Settings (subgraph URLs, INTERNAL_SECRET) come from src/config.ts, like every platform process.
 * Usage: apollo-gateway.ts --port N --tenant-id UUID
 */
const RESIGN_EVERY_MS = 30_000;

/**
 * @apollo/gateway refuses a supergraph that links the access directives `for: SECURITY` (it leaves
 * them to GraphOS's router). The comparison gateway acts with a `*` key, so their rules would all
 * pass anyway: keep the directives, drop only the purpose that makes it refuse.
 */
function withoutSecurityFeatures(supergraph: string): string {
  return supergraph.replace(/(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:requiresScopes|authenticated|policy)\/v[\d.]+"), for: SECURITY\)/g, '$1)');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'tenant-id': { type: 'string' } } });
  if (!values.port || !values['tenant-id']) throw new Error('usage: apollo-gateway.ts --port N --tenant-id UUID');
  const cfg = config();
  const identity: Identity = {
    requestId: '',
    ip: '127.0.0.1',
    tenantId: values['tenant-id'],
    apiKeyId: '00000000-0000-4000-8000-000000000000',
    keyType: 'secret',
    scopes: ['*'],
  };
  let sealed = sealIdentity(identity);
  setInterval(() => (sealed = sealIdentity(identity)), RESIGN_EVERY_MS).unref();

  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityFeatures(fs.readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8')),
    // The supergraph's join__Graph URLs are the default ports; the bench runs on free ports.
    buildService: ({ name }) =>
      new RemoteGraphQLDataSource({
        url: cfg.subgraphUrls[name as SubgraphName],
        willSendRequest({ request }) {
          request.extensions = { ...request.extensions, [IDENTITY_EXTENSION]: bindIdentity(sealed, request, cfg.internalSecret) };
        },
      }),
  });
  const apollo = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
  await apollo.start();

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://gateway');
      if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname !== '/graphql') return sendJson(res, 404, { errors: [{ message: 'Not found' }] });
      const parsed = req.method === 'POST' ? await readBody(req) : { ok: true as const, value: undefined };
      if (!parsed.ok) return sendJson(res, 400, { errors: [{ message: parsed.error }] });
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed.value },
        context: async () => ({}),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') return res.end(result.body.string);
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
  onShutdown(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await apollo.stop();
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
