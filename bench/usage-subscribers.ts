import WebSocket from 'ws';

const USAGE_UPDATED = `subscription($organizationId: ID!) {
  usageUpdated(organizationId: $organizationId) { metric quantity total usage { usage { messages { current max } tokens { total } } } }
}`;

export interface UsageSubscribers {
  /** Events received by all subscribers together. */
  received(): number;
  close(): Promise<void>;
}

/**
 * `count` graphql-ws clients (protocol graphql-transport-ws, over the `ws` package) subscribed to
 * `usageUpdated` of one organization through the router. They only count what arrives (no JSON
 * parsing per event), so the bench process spends little of the shared CPU on them. Resolves once
 * every subscriber has received an event: `poke` makes one (a consume) until they all have.
 */
export async function connectUsageSubscribers(
  routerUrl: string,
  connectionParams: Record<string, string>,
  organizationId: string,
  count: number,
  poke: () => Promise<void>,
): Promise<UsageSubscribers> {
  const url = routerUrl.replace(/^http/, 'ws') + '/graphql';
  const counts = new Array<number>(count).fill(0);
  const sockets: WebSocket[] = [];
  const failures: string[] = [];
  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      sockets.push(socket);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
      socket.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"next"')) {
          counts[index] += 1;
          return;
        }
        const message = JSON.parse(text) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: USAGE_UPDATED, variables: { organizationId } } }));
          resolve();
        } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        else if (message.type === 'error' || message.type === 'complete') failures.push(`${message.type}: ${JSON.stringify(message.payload)}`);
      });
      socket.on('error', reject);
      socket.on('close', (code) => code !== 1000 && failures.push(`subscriber ${index} closed (${code})`));
    });
  // in batches: a thousand handshakes at once would measure the handshake, not the fan-out
  for (let first = 0; first < count; first += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - first) }, (_, i) => open(first + i)));
  }
  // The gateway subscribes upstream lazily: poke until every subscriber has seen an event.
  const deadline = Date.now() + 60_000;
  while (counts.some((n) => n === 0)) {
    if (failures.length) throw new Error(`usageUpdated subscribers failed: ${failures.slice(0, 3).join('; ')}`);
    if (Date.now() > deadline) throw new Error(`only ${counts.filter((n) => n > 0).length} of ${count} subscribers received an event within 60 s`);
    await poke();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    received: () => counts.reduce((a, b) => a + b, 0),
    async close() {
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000);
        })),
      );
    },
  };
}
