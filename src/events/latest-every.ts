/**
 * A live view of something that changes often (an organization's usage): passes the first value
 * at once, then at most one value per `intervalMs`, always the latest one. Intermediate values are
 * dropped, so a subscriber sees the current state within `intervalMs` of every change however
 * fast changes come, and the cost of a busy source no longer grows with its rate times the number
 * of subscribers.
 */
export function latestEvery<T>(source: AsyncIterable<T>, intervalMs: number, keep: (value: T) => boolean = () => true): AsyncIterableIterator<T> {
  const upstream = source[Symbol.asyncIterator]();
  let latest: { value: T } | undefined;
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastSentAt = -Infinity;
  let ended = false;

  const finish = (): void => {
    ended = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (waiting && !latest) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  };

  const deliver = (): void => {
    if (!waiting || !latest) return;
    const resolve = waiting;
    const { value } = latest;
    waiting = undefined;
    latest = undefined;
    lastSentAt = Date.now();
    resolve({ value, done: false });
  };

  const schedule = (): void => {
    if (!waiting || !latest || timer) return;
    const wait = lastSentAt + intervalMs - Date.now();
    if (wait <= 0) return deliver();
    timer = setTimeout(() => {
      timer = undefined;
      deliver();
    }, wait);
  };

  // Pull from the source continuously, keeping only the newest value.
  void (async () => {
    try {
      for (;;) {
        const next = await upstream.next();
        if (next.done || ended) break;
        if (!keep(next.value)) continue;
        latest = { value: next.value };
        schedule();
      }
    } catch {
      // a failing source ends the view; the subscriber sees it complete
    }
    if (!latest) finish();
    else ended = true;
  })();

  return {
    next(): Promise<IteratorResult<T>> {
      if (waiting) return Promise.reject(new Error('latestEvery: next() called before the previous value arrived'));
      if (ended && !latest) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
        schedule();
      });
    },
    async return(): Promise<IteratorResult<T>> {
      latest = undefined;
      finish();
      await upstream.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
