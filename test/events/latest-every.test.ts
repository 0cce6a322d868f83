import assert from 'node:assert/strict';
import { createPubSub } from '@graphql-yoga/subscription';
import { latestEvery } from '../../src/events/latest-every';

/** Resolves when `predicate` holds, checking every few milliseconds (bounded). */
async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('latestEvery: live views of fast-changing state', () => {
  it('passes the first value at once, then only the latest per interval, and ends on return()', async () => {
    const pubSub = createPubSub<{ usage: [number] }>();
    const view = latestEvery(pubSub.subscribe('usage'), 200, (n) => n % 2 === 0);
    const received: Array<{ value: number; at: number }> = [];
    const started = Date.now();
    const reading = (async () => {
      for await (const value of view) received.push({ value, at: Date.now() - started });
    })();
    // the subscription registers on the first pull
    await new Promise((resolve) => setTimeout(resolve, 20));
    pubSub.publish('usage', 2);
    await until(() => received.length === 1);
    assert.ok(received[0].at < 150, `the first value comes at once (${received[0].at} ms)`);
    for (const n of [3, 4, 6, 8]) pubSub.publish('usage', n);
    await until(() => received.length === 2);
    assert.equal(received[1].value, 8, 'only the latest kept value of the burst');
    assert.ok(received[1].at - received[0].at >= 190, `no sooner than the interval (${received[1].at - received[0].at} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(received.length, 2, 'nothing more without a change');
    pubSub.publish('usage', 1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(received.length, 2, 'values the filter drops never arrive');
    await view.return!();
    await reading;
  });
});
