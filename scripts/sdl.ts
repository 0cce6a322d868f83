import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/definitions';
import { PROJECT_ROOT } from '../src/paths';

export const ROOT = PROJECT_ROOT;
/** How every TypeScript entry point runs without a build (decorator metadata included). */
export const TS_NODE_ARGS = ['-r', '@swc-node/register'];

/** The SDL each subgraph's code produces now (one child process each). */
export function generateSubgraphSdl(): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      execFileSync(process.execPath, [...TS_NODE_ARGS, path.join(ROOT, 'scripts/print-sdl.ts'), name], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'error' },
      }),
    ]),
  ) as Record<SubgraphName, string>;
}
