import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { pinnedFetch } from '../../../src/net/pinned-fetch';
import type { SsrfPolicy } from '../../../src/net/ssrf-guard';
import type { McpServerConnection } from '../agent/mcp-servers';
import type { ToolDefinition } from '../provider/model-provider';

export interface ToolboxLimits {
  /** Timeout of one MCP request: connect, list or call. */
  requestTimeoutMs: number;
  policy: SsrfPolicy;
}

/** What a tool answered, as text for the model; isError when it failed (the model is told, nothing crashes). */
export interface ToolOutcome {
  content: string;
  isError: boolean;
}

interface OfferedTool {
  server: string;
  tool: string;
  client: Client;
}

// OpenAI accepts at most 128 tools, named ^[A-Za-z0-9_-]{1,64}$.
const MAX_TOOLS = 128;
const MAX_LIST_PAGES = 5;
const MAX_RESULT_CHARS = 50_000;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The tools of an agent's MCP servers for one chat, through the official SDK client over Streamable
 * HTTP. Each server is connected and listed in parallel; one that fails is reported in
 * `unavailable` (its tools are not offered) and the others still work.
 */
export class McpToolbox {
  private constructor(
    readonly tools: ToolDefinition[],
    readonly unavailable: Array<{ server: string; error: string }>,
    private readonly offered: Map<string, OfferedTool>,
    private readonly clients: Client[],
    private readonly limits: ToolboxLimits,
  ) {}

  static async open(servers: Array<McpServerConnection | { name: string; error: string }>, limits: ToolboxLimits): Promise<McpToolbox> {
    const listed = await Promise.all(servers.map((server): Promise<Listed> => ('error' in server ? Promise.resolve({ server: server.name, error: server.error }) : listServer(server, limits))));
    const tools: ToolDefinition[] = [];
    const offered = new Map<string, OfferedTool>();
    const unavailable: Array<{ server: string; error: string }> = [];
    const clients: Client[] = [];
    for (const entry of listed) {
      if ('error' in entry) {
        unavailable.push(entry);
        continue;
      }
      clients.push(entry.client);
      for (const tool of entry.tools) {
        if (tools.length >= MAX_TOOLS) break;
        const name = uniqueName(`${entry.server}__${tool.name}`, offered);
        offered.set(name, { server: entry.server, tool: tool.name, client: entry.client });
        tools.push({ name, description: tool.description, parameters: tool.inputSchema });
      }
    }
    return new McpToolbox(tools, unavailable, offered, clients, limits);
  }

  /** Which server and tool a function name stands for. */
  describe(name: string): { server: string | null; tool: string } {
    const tool = this.offered.get(name);
    return tool ? { server: tool.server, tool: tool.tool } : { server: null, tool: name };
  }

  /** Calls the tool; every failure (unknown tool, bad arguments, tool error, server gone, timeout) is an error outcome. */
  async call(name: string, rawArguments: string, timeoutMs: number): Promise<ToolOutcome> {
    const tool = this.offered.get(name);
    if (!tool) return { content: `Error: there is no tool named ${name}`, isError: true };
    let args: unknown;
    try {
      args = rawArguments.trim() ? JSON.parse(rawArguments) : {};
    } catch {
      return { content: 'Error: the arguments are not valid JSON', isError: true };
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) return { content: 'Error: the arguments must be a JSON object', isError: true };
    if (timeoutMs <= 0) return { content: 'Error: the time allowed for tool calls in this chat is used up', isError: true };
    try {
      const result = await tool.client.callTool({ name: tool.tool, arguments: args as Record<string, unknown> }, undefined, {
        timeout: Math.min(timeoutMs, this.limits.requestTimeoutMs),
        maxTotalTimeout: Math.min(timeoutMs, this.limits.requestTimeoutMs),
      });
      const content = resultText(result as { content?: unknown[]; structuredContent?: unknown; toolResult?: unknown });
      return result.isError ? { content: `Error: ${content || 'the tool failed'}`, isError: true } : { content, isError: false };
    } catch (error) {
      return { content: `Error: calling ${tool.tool} on MCP server ${tool.server} failed: ${errorText(error)}`, isError: true };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.close()));
  }
}

type Listed = { server: string; client: Client; tools: Array<{ name: string; description?: string; inputSchema: Record<string, unknown> }> } | { server: string; error: string };

async function listServer(server: McpServerConnection, limits: ToolboxLimits): Promise<Listed> {
  const client = new Client({ name: 'agent-saas-platform', version: '1.0.0' });
  try {
    // Every request checked and pinned to the checked address: the URL is the tenant's, the network is ours.
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.headers }, fetch: pinnedFetch(limits.policy) });
    const options = { timeout: limits.requestTimeoutMs, maxTotalTimeout: limits.requestTimeoutMs };
    await client.connect(transport, options);
    const tools: Array<{ name: string; description?: string; inputSchema: Record<string, unknown> }> = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const listed = await client.listTools(cursor ? { cursor } : undefined, options);
      tools.push(...listed.tools);
      cursor = listed.nextCursor;
      if (!cursor) break;
    }
    return { server: server.name, client, tools };
  } catch (error) {
    await client.close().catch(() => undefined);
    return { server: server.name, error: `MCP server ${server.name} is unavailable: ${errorText(error)}` };
  }
}

function uniqueName(raw: string, taken: Map<string, unknown>): string {
  const base = raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 60)}_${n}`;
  return name;
}

/** Text parts joined; other parts summarised; structured content when there is no text. */
function resultText(result: { content?: unknown[]; structuredContent?: unknown; toolResult?: unknown }): string {
  const parts = (result.content ?? []).map((raw) => {
    const part = raw as { type: string; text?: string; mimeType?: string; resource?: { uri?: string; text?: string }; uri?: string };
    if (part.type === 'text') return part.text ?? '';
    if (part.type === 'resource') return part.resource?.text ?? `[resource ${part.resource?.uri ?? ''}]`;
    if (part.type === 'resource_link') return `[resource ${part.uri ?? ''}]`;
    return `[${part.type}${part.mimeType ? ` ${part.mimeType}` : ''}]`;
  });
  let text = parts.join('\n');
  if (!text && result.structuredContent !== undefined) text = JSON.stringify(result.structuredContent);
  if (!text && result.toolResult !== undefined) text = JSON.stringify(result.toolResult);
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… [truncated]` : text;
}
