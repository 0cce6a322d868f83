import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

/** Steps that undo what the bench started, run once in reverse order (also on Ctrl-C). */
export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  private running?: Promise<void>;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`[bench] cleanup "${step.name}" failed: ${String(error)}`);
        }
      }
    })();
    return this.running;
  }
}

/**
 * Starts a TypeScript entry point of this repository in its own Node process. The IPC channel
 * makes the child exit if the bench dies (bench children and src/process.ts listen for it).
 */
export function spawnTs(entry: string, args: string[], env: Record<string, string>, stdio: StdioOptions): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio,
  });
}

export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
