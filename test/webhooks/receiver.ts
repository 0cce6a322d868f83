import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers one request (its script is consumed in order; then the default answers). */
export type Answer = (response: http.ServerResponse) => void;

export const answer = {
  status: (code: number, body = '', headers: Record<string, string> = {}): Answer => (res) => res.writeHead(code, headers).end(body),
  /** Never answers (past the platform's timeout). */
  hang: (): Answer => () => undefined,
  /** Sends the headers and the first bytes, then stops (a body slower than the timeout). */
  slowBody: (): Answer => (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  },
};

/** A scripted webhook receiver on loopback: records every request and answers per path from its script. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly waiting: Array<{ path: string; resolve: (request: ReceivedRequest) => void }> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const request = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(request);
      for (const waiter of this.waiting.filter((w) => w.path === path)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve(request);
      }
      const next = this.scripts.get(path)?.shift() ?? answer.status(200, '{"received": true}', { 'content-type': 'application/json' });
      next(res);
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  script(path: string, ...answers: Answer[]): void {
    this.scripts.set(path, answers);
  }

  /** The next request to `path`, the moment it has arrived (before it is answered). */
  next(path: string): Promise<ReceivedRequest> {
    return new Promise((resolve) => this.waiting.push({ path, resolve }));
  }

  at(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
