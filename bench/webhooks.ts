import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { startIsolatedPlatform } from '../scripts/isolated-platform';
import { emit } from '../src/events/outbox';
import { ApiKeyCreated } from '../subgraphs/tenancy/api-key/api-key.events';
import { cpuSnapshot, cpuUsage } from './cpu';
import { createTenant } from './setup';

/**
 * Webhook delivery throughput and latency: events committed to the outbox (as domain writes do),
 * relayed, fanned out and POSTed to a local receiver. Reports deliveries per second and
 * event-to-first-attempt latency (the event's commit time, sent as the body's `timestamp`, to its
 * arrival at the receiver) p50/p99. Targets: ≥ 300 deliveries/s, p99 ≤ 500 ms.
 * Usage: npm run bench:webhooks -- [--events 3000] [--rate 400]
 */
const log = (message: string) => console.error(`[bench:webhooks] ${message}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '3000' }, rate: { type: 'string', default: '400' } } });
  const total = Number(values.events);
  const ratePerSecond = Number(values.rate);
  const arrivals: Array<{ at: number; emittedAt: number; id: string }> = [];
  const seen = new Set<string>();
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        arrivals.push({ at, emittedAt: Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp), id });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  log('starting PostgreSQL, four subgraphs, worker and router');
  const platform = await startIsolatedPlatform({ name: 'bench-webhooks', env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  const pool = new Pool({ connectionString: platform.databaseUrl, max: 8 });
  try {
    const tenant = await createTenant({ ...platform, failure: () => undefined });
    const created = await fetch(`${platform.routerUrl}/api/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.secret_key}` },
      body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['api_key.*'] }),
    });
    if (created.status !== 201) throw new Error(`creating the endpoint: ${created.status} ${await created.text()}`);
    log(`emitting ${total} events at ${ratePerSecond}/s`);
    const cpuBefore = cpuSnapshot();
    const started = Date.now();
    const emitOne = () => emit(pool, ApiKeyCreated, tenant.tenant_id, { apiKeyId: randomUUID(), type: 'secret' });
    const tick = 20;
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.ceil(((Date.now() - started + tick) / 1000) * ratePerSecond));
      const batch: Array<Promise<string>> = [];
      for (; sent < due; sent++) batch.push(emitOne());
      await Promise.all(batch);
      await new Promise((resolve) => setTimeout(resolve, tick));
    }
    const deadline = Date.now() + 120_000;
    while (arrivals.length < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const cpu = cpuUsage(cpuBefore, cpuSnapshot(), arrivals.length);
    const seconds = (Math.max(...arrivals.map((a) => a.at)) - started) / 1000;
    const latencies = arrivals.map((a) => a.at - a.emittedAt).sort((a, b) => a - b);
    const result = {
      events: total,
      delivered: arrivals.length,
      deliveriesPerSecond: Math.round(arrivals.length / seconds),
      offeredPerSecond: ratePerSecond,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      // CPU ms per delivery of each part, and the share of the machine other processes took meanwhile.
      cpuMsPerDelivery: cpu?.msPerRequest ?? null,
      othersCpuPercent: cpu?.othersPercent ?? null,
    };
    // Where the time goes: commit → fan-out (relay) and fan-out → recorded attempt (job queue and HTTP).
    const { rows } = await pool.query(
      `SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - event_created_at) * 1000) AS relay_ms,
              percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at) * 1000) AS queue_and_attempt_ms
       FROM tenancy.webhook_deliveries WHERE tenant_id = $1`,
      [tenant.tenant_id],
    );
    // The delivery jobs: waiting in the queue (created → started) and worked (started → completed).
    const jobs = await pool.query(
      `SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM started_on - created_on) * 1000) AS job_wait_ms,
              percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM completed_on - started_on) * 1000) AS job_run_ms
       FROM pgboss.job WHERE name = 'tenancy.webhook-delivery' AND completed_on IS NOT NULL`,
    );
    console.log(JSON.stringify({ ...result, breakdownP50P99: { ...rows[0], ...jobs.rows[0] } }, null, 2));
  } finally {
    await pool.end();
    receiver.close();
    await platform.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
