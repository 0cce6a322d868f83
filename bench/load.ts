import autocannon from 'autocannon';

/**
 * The load generator, in its own process so it never shares an event loop with a server.
 * Reads a LoadSpec as JSON on stdin, warms up, then prints `{"phase":"measuring"}`, measures,
 * and prints a LoadResult, each as one JSON line on stdout.
 */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request bodies, sent in turn (one body: identical requests; many: varied traffic). */
  bodies: string[];
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** 2xx responses whose body still carried GraphQL `errors` (a GraphQL failure is often a 200). */
  graphqlErrors: number;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fire(spec: LoadSpec, seconds: number, onGraphqlError: () => void): autocannon.Instance {
  // A counter shared by all connections: concurrent requests get different bodies, so nothing
  // downstream can merge identical in-flight requests.
  let next = 0;
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: spec.method,
        headers: spec.headers,
        setupRequest: (request) => {
          if (spec.method !== 'GET') request.body = spec.bodies[next++ % spec.bodies.length];
          return request;
        },
        onResponse: (status, body) => {
          if (status < 300 && body.includes('"errors":')) onGraphqlError();
        },
      },
    ],
  });
}

let current: autocannon.Instance | undefined;

async function main(): Promise<void> {
  const spec = JSON.parse(await readStdin()) as LoadSpec;
  if (spec.warmupSeconds > 0) await (current = fire(spec, spec.warmupSeconds, () => undefined));
  // Tells the harness the measured window starts now (it samples CPU use from here).
  process.stdout.write(JSON.stringify({ phase: 'measuring' }) + '\n');
  let graphqlErrors = 0;
  const result = await (current = fire(spec, spec.seconds, () => (graphqlErrors += 1)));
  const output: LoadResult = {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    graphqlErrors,
  };
  process.stdout.write(JSON.stringify(output) + '\n');
  process.exit(0);
}

// The harness owns this process: stop when it says so or when it goes away (IPC closes).
const stop = () => {
  current?.stop();
  process.exit(1);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('disconnect', stop);

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
