import readline from 'node:readline';
import { cpuSnapshot, cpuUsage, type CpuSnapshot, type CpuUsage } from './cpu';
import type { LoadResult, LoadSpec } from './load';
import { stopChild } from '../scripts/platform';
import { spawnTs, type Cleanup } from './processes';

export interface Scenario {
  id: string;
  title: string;
  url: string;
  /** Default POST; a GET scenario sends no body (its `bodies()` is `['']`). */
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Called right before the scenario starts (signed identities must be fresh). */
  bodies(): string[];
  /** Checks one response before the load starts; returns what is wrong, if anything. */
  check(status: number, body: any): string | undefined;
  /** Concurrent connections of this scenario when its documented figure names them (default: --connections). */
  connections?: number;
  /** Runs before the load (e.g. connects subscribers); what it returns runs after the measurement. */
  prepare?(): Promise<() => Promise<void>>;
}

export interface ScenarioResult extends LoadResult {
  id: string;
  title: string;
  /** CPU per request per process group, and what other processes took (null: not on Linux). */
  cpu: CpuUsage | null;
  /** Requests the subgraphs executed per measured request (fewer when merged in flight). */
  subgraphCallsPerRequest: number | null;
}

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

/** The list query spanning all four subgraphs (agents → tenancy → billing, entities, agents). */
export function spanQuery(first: number): string {
  return `query Span($offset: Int!) { agents(first: ${first}, offset: $offset) { id name model owner { id email usage { metric quantity } entitySchemas { id name } agents { id } } } }`;
}

export function graphqlBody(query: string, variables: Record<string, unknown> = {}, extensions?: Record<string, unknown>): string {
  return JSON.stringify(extensions ? { query, variables, extensions } : { query, variables });
}

/** A GraphQL response check: no errors and `data` that passes `ok`. */
export function graphqlCheck(ok: (data: any) => boolean): Scenario['check'] {
  return (status, body) => {
    if (status !== 200) return `status ${status}: ${JSON.stringify(body)}`;
    if (body?.errors?.length) return `errors: ${JSON.stringify(body.errors)}`;
    if (!ok(body?.data)) return `unexpected data: ${JSON.stringify(body?.data).slice(0, 300)}`;
    return undefined;
  };
}

/** A 20-item page whose every agent resolved its owner through the other subgraphs. */
export const fullSpanPage = (data: any): boolean =>
  data?.agents?.length === 20 && data.agents.every((a: any) => a.owner?.email && Array.isArray(a.owner.usage) && Array.isArray(a.owner.agents));

async function verify(scenario: Scenario, body: string): Promise<void> {
  const method = scenario.method ?? 'POST';
  const response = await fetch(scenario.url, { method, headers: scenario.headers, body: method === 'GET' ? undefined : body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  const problem = scenario.check(response.status, parsed);
  if (problem) throw new Error(`scenario "${scenario.title}" does not answer correctly: ${problem}`);
}

/**
 * Checks one response, then runs warm-up and measurement in a bench/load.ts child process.
 * `countSubgraphCalls` reads the subgraphs' request counters around the measured window.
 */
export async function runScenario(
  scenario: Scenario,
  settings: LoadSettings,
  cleanup: Cleanup,
  countSubgraphCalls: () => Promise<number | null>,
): Promise<ScenarioResult> {
  const bodies = scenario.bodies();
  await verify(scenario, bodies[0]);
  const spec: LoadSpec = { url: scenario.url, method: scenario.method ?? 'POST', headers: scenario.headers, bodies, ...settings, connections: scenario.connections ?? settings.connections };
  const child = spawnTs('bench/load.ts', [], {}, ['pipe', 'pipe', 'inherit', 'ipc']);
  cleanup.add(`stop load generator (${scenario.id})`, () => stopChild(child, 1000));
  let cpuAtStart: CpuSnapshot | undefined;
  let cpuAtEnd: CpuSnapshot | undefined;
  let result: LoadResult | undefined;
  let callsAtStart: Promise<number | null> = Promise.resolve(null);
  let callsAtEnd: Promise<number | null> = Promise.resolve(null);
  // CPU is sampled the moment each line arrives: the measured window, without the warm-up.
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { phase: 'measuring' } | LoadResult;
    if ('phase' in message) {
      cpuAtStart = cpuSnapshot();
      callsAtStart = countSubgraphCalls();
    } else {
      cpuAtEnd = cpuSnapshot();
      callsAtEnd = countSubgraphCalls();
      result = message;
    }
  });
  child.stdin!.end(JSON.stringify(spec));
  const limitMs = (settings.warmupSeconds + settings.seconds + 60) * 1000;
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0 || !result) throw new Error(`load generator for "${scenario.title}" exited with code ${code}`);
  const [before, after] = await Promise.all([callsAtStart, callsAtEnd]);
  // Requests still in flight at either end make this approximate (by a few in thousands).
  const subgraphCallsPerRequest = before !== null && after !== null && result.requests > 0 ? Math.round(((after - before) / result.requests) * 100) / 100 : null;
  return { id: scenario.id, title: scenario.title, ...result, cpu: cpuUsage(cpuAtStart, cpuAtEnd, result.requests), subgraphCallsPerRequest };
}
