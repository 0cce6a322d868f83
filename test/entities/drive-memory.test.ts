import assert from 'node:assert/strict';
import fs from 'node:fs';
import { rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser } from '../helpers/tenants';
import { asUser, streamedUpload } from './drive-helpers';

const MB = 1024 * 1024;
const SIZE = 200 * MB;

/** Resident memory of a platform process, from /proc (Linux): what the kernel says it holds now. */
function rssOf(name: string): number {
  const pid = testPlatform().running.children.get(name)!.pid!;
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

/**
 * Memory stays flat while a 200 MB file streams through the router into the entities subgraph:
 * the resident memory of both processes is sampled every 20 ms during the upload, and its peak
 * must stay far below the file's size (a buffered upload would add at least 200 MB to each).
 */
describe('drive: memory while a 200 MB file uploads', () => {
  it('the router and the entities subgraph grow by far less than the file (streamed, never buffered)', async function () {
    this.timeout(180_000);
    const tenant = await createTenant({ tier: 'pro' });
    const owner = asUser(tenant, await registerUser(tenant));
    const processes = ['router', 'entities'];
    const baseline = Object.fromEntries(processes.map((name) => [name, rssOf(name)]));
    const peak = { ...baseline };
    const sampler = setInterval(() => {
      for (const name of processes) peak[name] = Math.max(peak[name], rssOf(name));
    }, 20);
    let result;
    try {
      result = await streamedUpload(owner, SIZE, 'big.bin');
    } finally {
      clearInterval(sampler);
    }
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.equal(result.body.file.file_size, SIZE);
    const growth = Object.fromEntries(processes.map((name) => [name, Math.round((peak[name] - baseline[name]) / MB)]));
    console.log(`      RSS growth during a ${SIZE / MB} MB upload (MB): ${JSON.stringify(growth)}; baselines (MB): ${JSON.stringify(Object.fromEntries(processes.map((n) => [n, Math.round(baseline[n] / MB)])))}`);
    // Buffers not yet garbage-collected count too: the bound is half the file (a buffered upload adds all of it).
    for (const name of processes) assert.ok(peak[name] - baseline[name] < SIZE / 2, `${name} grew by ${growth[name]} MB`);

    // The bytes arrived whole: the download's length, counted as it streams by.
    const response = await fetch(`${testPlatform().routerUrl}/v1/user/files/${result.body.file.id}/download`, { headers: { 'x-api-key': owner.apiKey!, authorization: `Bearer ${owner.bearer}`, 'x-forwarded-for': owner.ip! } });
    let received = 0;
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value.length;
    assert.equal(received, SIZE);
    assert.equal((await rest('DELETE', `/v1/user/files/${result.body.file.id}`, undefined, owner)).status, 204);
  });
});
