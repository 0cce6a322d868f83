import fs from 'node:fs';
import os from 'node:os';
import { SUBGRAPH_NAMES } from '../subgraphs/definitions';

/**
 * Where the CPU went during a measurement: per part of the bench (router, subgraphs, ...) and
 * how much processes outside the bench took. Other people's test runs share this machine; on
 * two cores they can halve a figure, so the report says when that happened.
 * Linux only (/proc); elsewhere everything is unknown (null).
 */
/**
 * `load` is the autocannon child together with the harness: the harness idles while load runs,
 * and a child that has exited and been reaped counts in its parent's ticks (cutime), which can
 * happen to the load child just before the last sample.
 */
export const CPU_GROUPS = ['router', 'apollo', ...SUBGRAPH_NAMES, 'worker', 'postgres', 'load'] as const;
export type CpuGroup = (typeof CPU_GROUPS)[number];

export interface CpuSnapshot {
  at: number;
  /** Busy clock ticks of the whole machine (steal included: the VM did not get them). */
  machineBusy: number;
  /** Busy ticks of this process tree per group, reaped children included. */
  groups: Record<CpuGroup, number>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + (steal ?? 0);
}

interface ProcessInfo {
  parent: number;
  ticks: number;
  command: string;
}

function readProcess(pid: string): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the parenthesised name: state ppid ... utime(14th field) stime cutime cstime.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { parent: Number(rest[1]), ticks, command };
  } catch {
    return undefined; // ended meanwhile
  }
}

function groupOf(command: string): CpuGroup {
  if (command.includes('router/index.ts')) return 'router';
  if (command.includes('bench/apollo-gateway.ts')) return 'apollo';
  const subgraph = SUBGRAPH_NAMES.find((name) => command.includes(`subgraphs/${name}/`));
  if (subgraph) return subgraph;
  if (command.includes('worker/index.ts')) return 'worker';
  if (command.includes('postgres')) return 'postgres';
  return 'load';
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  if (os.platform() !== 'linux') return undefined;
  const table = new Map<number, ProcessInfo>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(entry);
    if (info) table.set(Number(entry), info);
  }
  const own = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, info] of table) {
      if (!own.has(pid) && own.has(info.parent)) {
        own.add(pid);
        grew = true;
      }
    }
  }
  const groups = Object.fromEntries(CPU_GROUPS.map((group) => [group, 0])) as Record<CpuGroup, number>;
  for (const pid of own) {
    const info = table.get(pid);
    if (info) groups[groupOf(info.command)] += info.ticks;
  }
  return { at: Date.now(), machineBusy: machineBusyTicks(), groups };
}

export interface CpuUsage {
  /** Percent of the machine's capacity that processes outside the bench used. */
  othersPercent: number;
  /** CPU milliseconds per request, per group that used any. */
  msPerRequest: Partial<Record<CpuGroup, number>>;
}

export function cpuUsage(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined, requests: number): CpuUsage | null {
  if (!a || !b) return null;
  const capacity = ((b.at - a.at) / 1000) * TICKS_PER_SECOND * os.cpus().length;
  let ownTicks = 0;
  const msPerRequest: Partial<Record<CpuGroup, number>> = {};
  for (const group of CPU_GROUPS) {
    const ticks = b.groups[group] - a.groups[group];
    ownTicks += ticks;
    if (ticks > 0 && requests > 0) msPerRequest[group] = Math.round(((ticks * 1000) / TICKS_PER_SECOND / requests) * 100) / 100;
  }
  const othersPercent = Math.max(0, Math.round(((b.machineBusy - a.machineBusy - ownTicks) / capacity) * 100));
  return { othersPercent, msPerRequest };
}

/** Waits (up to `maxMs`) for a second in which other processes use under `percent` of the CPU. */
export async function waitForIdleMachine(percent: number, maxMs: number): Promise<number | null> {
  const deadline = Date.now() + maxMs;
  let others: number | null = null;
  do {
    const a = cpuSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    others = cpuUsage(a, cpuSnapshot(), 0)?.othersPercent ?? null;
    if (others === null || others < percent) return others;
  } while (Date.now() < deadline);
  return others;
}
