/**
 * Group commit for small writes that arrive one by one (the outcome of each webhook attempt):
 * items added in the same turn of the event loop, or while a write is running, go together in
 * the next single write, so the cost of a transaction (its round trips, its commit) is shared.
 * An idle batcher writes at the end of the current turn. Each `add` settles with its batch: it
 * rejects when that write fails, and nothing of the batch is kept (one transaction).
 */
export class WriteBatcher<T> {
  private waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    /** Bound on one write, so a burst cannot build an unbounded statement. */
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        await this.write(batch.map(({ item }) => item));
        for (const { resolve } of batch) resolve();
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
    this.writing = false;
  }
}
