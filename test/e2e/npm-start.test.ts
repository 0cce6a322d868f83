import assert from 'node:assert/strict';
import { execFile, execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import net from 'node:net';
import { freePort } from '../helpers/ports';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** Processes whose command line mentions `marker` (our temp data dir or ports). */
function processesMentioning(marker: string): string[] {
  const out = execSync('ps -eo pid,args', { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

/** Waits until no process of the group is left (npm, the launcher, every child, PostgreSQL). */
async function waitForGroupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const left = execSync('ps -eo pgid=,pid=,args=', { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim().split(/\s+/)[0] === String(pgid));
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`processes of group ${pgid} still running after ${timeoutMs} ms`);
}

describe('npm start (embedded PostgreSQL, two commands)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-start-'));
    fs.chmodSync(dataDir, 0o755);
    port = await freePort();
    env = {
      ...(process.env as Record<string, string>),
      DATA_DIR: dataDir,
      PORT: String(port),
      TENANCY_PORT: String(await freePort()),
      BILLING_PORT: String(await freePort()),
      AGENTS_PORT: String(await freePort()),
      ENTITIES_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_LEVEL: 'error',
    };
    delete env.DATABASE_URL;
  });

  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function start(): Promise<ChildProcess> {
    // Its own process group, as in a terminal: Ctrl-C reaches npm and everything below it.
    const child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
      if (output.includes('Platform ready')) return child;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`npm start did not become ready: ${output}`);
  }

  async function tenantCreate(name: string): Promise<{ tenant_id: string; secret_key: string }> {
    const { stdout } = await run('npm', ['run', 'tenant:create', '--', '--name', name, '--json'], { cwd: ROOT, env });
    return JSON.parse(stdout);
  }

  it('starts everything, works with tenant:create alongside, stops cleanly, and keeps the data', async () => {
    // tenant:create with nothing running starts and stops its own embedded server
    const early = await tenantCreate('Before Start');
    assert.equal(processesMentioning(dataDir).length, 0, 'no server left behind by the CLI');

    let platform = await start();
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    assert.equal(health.status, 'ok');
    const during = await tenantCreate('During Start');
    const current = await (
      await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${during.secret_key}` },
        body: JSON.stringify({ query: '{ currentTenant { id name } }' }),
      })
    ).json();
    assert.deepEqual(current.data.currentTenant, { id: during.tenant_id, name: 'During Start' });

    const ports = ['PORT', 'TENANCY_PORT', 'BILLING_PORT', 'AGENTS_PORT', 'ENTITIES_PORT', 'EMBEDDED_POSTGRES_PORT'].map((name) => Number(env[name]));
    const stopped = Date.now();
    process.kill(-platform.pid!, 'SIGTERM');
    await waitForGroupGone(platform.pid!, 15_000);
    assert.ok(Date.now() - stopped < 10_000, 'stopped within a few seconds');
    assert.deepEqual(processesMentioning(dataDir), [], 'PostgreSQL stopped');
    for (const p of ports) assert.equal(await portOpen(p), false, `port ${p} closed`);

    // a second start reuses the data directory
    platform = await start();
    const again = await (
      await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${early.secret_key}` },
        body: JSON.stringify({ query: '{ currentTenant { name } }' }),
      })
    ).json();
    assert.equal(again.data.currentTenant.name, 'Before Start');
    process.kill(-platform.pid!, 'SIGINT'); // Ctrl-C
    await waitForGroupGone(platform.pid!, 15_000);
    assert.deepEqual(processesMentioning(dataDir), []);
    for (const p of ports) assert.equal(await portOpen(p), false, `port ${p} closed`);
  });
});
