import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * A small MCP server on loopback built with the official SDK, stateless Streamable HTTP (a new
 * McpServer and transport per POST, JSON answers). Tools: `add` (a + b), `echo` (the text back),
 * `fail` (always an error result), `explode` (the handler throws), `slow` (answers after `ms`). With `bearerToken` set, a request
 * without `Authorization: Bearer <token>` is answered 401.
 */
export interface FakeMcp {
  url: string;
  /** Every tool call received, in order. */
  calls: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** The headers of every HTTP request received. */
  headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

function mcpServer(calls: FakeMcp['calls']): McpServer {
  const server = new McpServer({ name: 'fake-mcp', version: '1.0.0' });
  server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => {
    calls.push({ name: 'add', arguments: { a, b } });
    return { content: [{ type: 'text', text: String(a + b) }] };
  });
  server.registerTool('echo', { description: 'Says the text back', inputSchema: { text: z.string() } }, async ({ text }) => {
    calls.push({ name: 'echo', arguments: { text } });
    return { content: [{ type: 'text', text }] };
  });
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => {
    calls.push({ name: 'fail', arguments: {} });
    return { content: [{ type: 'text', text: 'the database is on fire' }], isError: true };
  });
  server.registerTool('slow', { description: 'Answers after ms milliseconds', inputSchema: { ms: z.number() } }, async ({ ms }) => {
    calls.push({ name: 'slow', arguments: { ms } });
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: 'finally' }] };
  });
  server.registerTool('explode', { description: 'Throws', inputSchema: {} }, async () => {
    calls.push({ name: 'explode', arguments: {} });
    throw new Error('kaboom');
  });
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startFakeMcp(options: { bearerToken?: string } = {}): Promise<FakeMcp> {
  const calls: FakeMcp['calls'] = [];
  const headers: FakeMcp['headers'] = [];
  const http: Server = createServer(async (req, res) => {
    headers.push(req.headers);
    if (options.bearerToken && req.headers.authorization !== `Bearer ${options.bearerToken}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/mcp') {
      // Stateless: no GET stream and no session to DELETE.
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const server = mcpServer(calls);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, await readJson(req));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    headers,
    close: () => new Promise((resolve) => { http.closeAllConnections(); http.close(() => resolve()); }),
  };
}
