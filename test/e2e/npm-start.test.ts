import assert from 'node:assert/strict';
import { execFile, execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import net from 'node:net';
import { freePort, freeSubgraphPorts } from '../helpers/ports';
import { SUBGRAPHS } from '../../subgraphs/definitions';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/**
 * A checkout inside a private directory (mode 700, like /root), as a new user's clone would be:
 * the working tree's files copied, node_modules hard-linked (same inodes and modes, no copy cost).
 * As root, PostgreSQL runs as its own user and must still reach its binaries and `.data` in it.
 */
function privateCheckout(): { home: string; checkout: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'private-home-'));
  fs.chmodSync(home, 0o700);
  const checkout = path.join(home, 'platform');
  const files = execSync('git ls-files -co --exclude-standard -z', { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    fs.copyFileSync(from, path.join(checkout, file));
  }
  execSync(`cp -al ${JSON.stringify(path.join(ROOT, 'node_modules'))} ${JSON.stringify(path.join(checkout, 'node_modules'))}`);
  return { home, checkout };
}

/** Error-level log lines (pino level ≥ 50), PostgreSQL's complaints, or stack frames in `output`. */
function errorLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /"level":(50|60)|terminating connection|^\s+at .+:\d+:\d+\)?$|Error:/.test(line));
}

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

describe('npm start (embedded PostgreSQL, two commands) from a checkout in a private home', function () {
  this.timeout(180_000);
  let home: string;
  let checkout: string;
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;

  before(async () => {
    ({ home, checkout } = privateCheckout());
    dataDir = path.join(checkout, '.data'); // the default DATA_DIR
    port = await freePort();
    env = {
      ...(process.env as Record<string, string>),
      PORT: String(port),
      ...(await freeSubgraphPorts()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_LEVEL: 'error',
    };
    delete env.DATABASE_URL;
    delete env.DATA_DIR;
  });

  after(() => fs.rmSync(home, { recursive: true, force: true }));

  interface Started {
    child: ChildProcess;
    output(): string;
  }

  async function start(): Promise<Started> {
    // Its own process group, as in a terminal: Ctrl-C reaches npm and everything below it.
    const child = spawn('npm', ['start'], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', () => output.includes('Platform ready') && resolve());
      child.once('exit', () => reject(new Error(`npm start exited: ${output}`)));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`npm start did not become ready: ${output}`)), 90_000);
    });
    try {
      await Promise.race([ready, timeout]);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return { child, output: () => output };
  }

  /**
   * Stops it as a terminal's Ctrl-C does (the signal reaches every process of the group) or as a
   * process manager may (npm's pid alone), and checks that the stop was complete and clean.
   */
  async function stop(platform: Started, signal: NodeJS.Signals, to: 'group' | 'npm'): Promise<void> {
    const pid = platform.child.pid!;
    const closed = new Promise<void>((resolve) => platform.child.once('close', () => resolve()));
    const stopped = Date.now();
    process.kill(to === 'group' ? -pid : pid, signal);
    await waitForGroupGone(pid, 15_000);
    await closed;
    assert.ok(Date.now() - stopped < 10_000, 'stopped within a few seconds');
    assert.deepEqual(processesMentioning(dataDir), [], 'PostgreSQL stopped');
    assert.deepEqual(errorLines(platform.output()), [], `a clean ${signal} to the ${to} logs no error:\n${platform.output()}`);
  }

  async function tenantCreate(name: string): Promise<{ tenant_id: string; secret_key: string }> {
    const { stdout } = await run('npm', ['run', 'tenant:create', '--', '--name', name, '--json'], { cwd: checkout, env });
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

    const ports = ['PORT', ...SUBGRAPHS.map((s) => s.portSetting), 'EMBEDDED_POSTGRES_PORT'].map((name) => Number(env[name]));
    await stop(platform, 'SIGTERM', 'npm');
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
    await stop(platform, 'SIGINT', 'group'); // Ctrl-C
    for (const p of ports) assert.equal(await portOpen(p), false, `port ${p} closed`);
  });
});
