import type { ChatResult } from '../provider/model-provider';

export interface DeltaStreamShapes<T> {
  first(): T;
  delta(text: string): T;
  /** The provider finished: the last item (after any bookkeeping, e.g. metering). */
  done(result: ChatResult): Promise<T>;
  /** The provider failed: the last item (or rethrow what is not a provider failure). */
  failed(error: unknown): T;
}

/**
 * Turns a provider call that reports deltas through a callback into an async iterator that
 * yields each delta as soon as it arrives (no buffering beyond what the consumer has not pulled
 * yet). `return()` (the consumer went away) aborts the call at once, even while waiting.
 */
export function deltaStream<T>(
  call: (onDelta: (text: string) => void, onAccepted: () => void, signal: AbortSignal) => Promise<ChatResult>,
  shapes: DeltaStreamShapes<T>,
): AsyncIterableIterator<T> {
  const abort = new AbortController();
  const queue: string[] = [];
  let settled: { ok: true; result: ChatResult } | { ok: false; error: unknown } | undefined;
  let accepted = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };

  // The check inside the executor runs synchronously: no wake-up is lost between check and wait.
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      if (ready()) signal();
    });
  const hasNews = () => queue.length > 0 || settled !== undefined;

  async function* run(): AsyncGenerator<T> {
    void call(
      (text) => (queue.push(text), signal()),
      () => ((accepted = true), signal()),
      abort.signal,
    ).then(
      (result) => ((settled = { ok: true, result }), signal()),
      (error: unknown) => ((settled = { ok: false, error }), signal()),
    );
    // The role chunk goes once the provider has accepted the call: handed out at once, its trip to
    // the client would hold up this process while it should be sending the provider its request.
    while (!accepted && !hasNews()) await until(() => accepted || hasNews());
    yield shapes.first();
    for (;;) {
      if (queue.length) {
        yield shapes.delta(queue.shift()!);
        continue;
      }
      if (settled) break;
      await until(hasNews);
    }
    const outcome = settled!;
    yield outcome.ok ? await shapes.done(outcome.result) : shapes.failed(outcome.error);
  }

  const generator = run();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => generator.next(),
    async return(value?: unknown) {
      abort.abort();
      signal();
      return generator.return(value as T);
    },
    throw: (error?: unknown) => (abort.abort(), generator.throw(error)),
  };
}
