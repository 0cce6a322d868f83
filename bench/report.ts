import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES } from '../src/config';
import type { ScenarioResult, LoadSettings } from './scenarios';
import type { SeedCounts } from './seed';
import type { SqlPerRequest } from './sql-count';

export interface Machine {
  os: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
}

export interface Ratio {
  name: string;
  /** As shown: a ratio such as "1.62", or "12 vs 12" for the SQL count. */
  measured: string;
  target: string;
  /** null: shown for information, no target. */
  met: boolean | null;
}

export interface Report {
  generatedAt: string;
  /** The code measured: HEAD, and whether files outside bench/ had uncommitted changes. */
  source: { commit: string; uncommittedChanges: boolean };
  machine: Machine;
  settings: LoadSettings & { authRateLimitFactor: number; data: SeedCounts };
  scenarios: ScenarioResult[];
  sqlPerRequest: SqlPerRequest[];
  ratios: Ratio[];
  notes: string[];
}

export function describeSource(root: string): Report['source'] {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no').split('\n').filter((line) => line && !line.slice(3).startsWith('bench/'));
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedChanges: changed.length > 0 };
  } catch {
    return { commit: 'unknown', uncommittedChanges: false };
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

const fixed = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const source = (report: Report): string => `commit ${report.source.commit}${report.source.uncommittedChanges ? ' (+ uncommitted changes)' : ''}`;
const problems = (r: ScenarioResult): number => r.non2xx + r.errors + r.graphqlErrors;
const calls = (r: ScenarioResult): string => (r.subgraphCallsPerRequest === null ? '?' : r.subgraphCallsPerRequest.toFixed(2));
const others = (r: ScenarioResult): string => (r.cpu ? `${r.cpu.othersPercent} %` : '?');
/** CPU ms per request: gateway (router or Apollo; none for the floor) / subgraphs / PostgreSQL. */
function cpuSplit(r: ScenarioResult): string {
  if (!r.cpu) return '?';
  const ms = r.cpu.msPerRequest;
  // The floor has no gateway in the path: an idle gateway's crumbs are not its cost.
  const gateway = Math.max(ms.router ?? 0, ms.apollo ?? 0) >= 0.05 ? Math.max(ms.router ?? 0, ms.apollo ?? 0) : undefined;
  const subgraphs = SUBGRAPH_NAMES.reduce<number | undefined>((sum, name) => (ms[name] === undefined ? sum : (sum ?? 0) + ms[name]!), undefined);
  return [gateway, subgraphs, ms.postgres].map((value) => (value === undefined ? '–' : value.toFixed(1))).join(' / ');
}

/** numerator / denominator against a minimum (none: for information only). */
export function ratioOf(name: string, numerator: number, denominator: number, minimum?: number): Ratio {
  const value = denominator > 0 ? numerator / denominator : 0;
  const measured = fixed(value, 2);
  if (minimum === undefined) return { name, measured, target: '—', met: null };
  return { name, measured, target: `≥ ${minimum}`, met: value >= minimum };
}

const verdict = (ratio: Ratio): string => (ratio.met === null ? 'info' : ratio.met ? 'met' : 'missed');

/** The compact Markdown that goes into the README. */
export function toMarkdown(report: Report): string {
  const { machine, settings } = report;
  const lines = [
    `Measured ${report.generatedAt.slice(0, 10)} at ${source(report)} on ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.os}.`,
    `${settings.connections} connections; ${settings.warmupSeconds} s warm-up, then ${settings.seconds} s measured per scenario; load generator in its own process on the same machine.`,
    '',
    '| scenario | RPS | p50 ms | p99 ms | subgraph calls/request | CPU ms/request: gateway / subgraphs / PostgreSQL | failed | others\' CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.scenarios.map((r) => `| ${r.title} | ${fixed(r.rps)} | ${r.p50Ms} | ${r.p99Ms} | ${calls(r)} | ${cpuSplit(r)} | ${problems(r)} | ${others(r)} |`),
    '',
    '| ratio | measured | target | |',
    '| --- | ---: | --- | --- |',
    ...report.ratios.map((r) => `| ${r.name} | ${r.measured} | ${r.target} | ${r.met === false ? '**missed**' : verdict(r)} |`),
    '',
    ...report.notes.map((note) => `- ${note}`),
  ];
  return lines.join('\n') + '\n';
}

/** The same figures for a terminal. */
export function toText(report: Report): string {
  const rows = report.scenarios.map((r) => [r.title, fixed(r.rps), String(r.p50Ms), String(r.p99Ms), calls(r), cpuSplit(r), String(problems(r)), others(r)]);
  const header = ['scenario', 'RPS', 'p50 ms', 'p99 ms', 'subgraph calls/req', 'CPU ms/req gw/sub/pg', 'failed', "others' CPU"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const { machine } = report;
  return [
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.os}; code ${source(report)}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    ...report.ratios.map((r) => `${verdict(r).toUpperCase().padEnd(6)}  ${r.name}: ${r.measured} (target ${r.target})`),
    '',
    ...report.sqlPerRequest.map((s) => `SQL for one spanning query, first: ${s.first}: ${s.total} (${JSON.stringify(s.bySubgraph)})`),
  ].join('\n');
}

export function writeReport(report: Report, directory: string): void {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(directory, 'latest.md'), toMarkdown(report));
}
