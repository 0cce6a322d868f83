import type PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Logger } from '../logger';
import { parsePayload, type EventDefinition, type OutboxEventDefinition } from './define';
import { DEFAULT_JOB_OPTIONS, sendJobs, startJobs, workJobs, workTypedJobs, type JobDefinition, type JobsMaintenance } from './jobs';
import type { EventSink } from './relay';
import type { PlatformEvent } from './types';

/** An event as a consumer receives it: the payload already checked against its definition's schema. */
export type DeliveredEvent<E> = E extends EventDefinition<infer T, infer S> ? PlatformEvent<z.output<S>> & { type: T } : never;

/**
 * A durable consumer, declared by the subgraph that runs it: the relay queues each event of
 * `events` as a job on the queue `name`, and the subgraph's process runs `handler` on it.
 * Delivery is at least once: a handler must be idempotent by event id.
 */
export interface ConsumerDefinition<Deps = any> {
  readonly name: string;
  readonly events: readonly OutboxEventDefinition[];
  readonly handler: (deps: Deps) => (event: PlatformEvent<any>) => Promise<void>;
}

export function defineConsumer<Deps, const E extends readonly OutboxEventDefinition[]>(consumer: {
  name: string;
  events: E;
  handler: (deps: Deps) => (event: DeliveredEvent<E[number]>) => Promise<void>;
}): ConsumerDefinition<Deps> {
  return Object.freeze({ ...consumer, handler: consumer.handler as ConsumerDefinition<Deps>['handler'] });
}

/** A job queue and the handler a subgraph runs for it (e.g. tenancy sends mail). */
export interface JobHandlerDefinition<Deps = any> {
  readonly job: JobDefinition;
  readonly handler: (deps: Deps) => (data: any) => Promise<void>;
}

export function defineJobHandler<Deps, S extends z.ZodType>(job: JobDefinition<S>, handler: (deps: Deps) => (data: z.output<S>) => Promise<void>): JobHandlerDefinition<Deps> {
  return Object.freeze({ job, handler });
}

/** Checks an event against the consumer's definitions before its handler sees it. */
export function deliverTo(consumer: ConsumerDefinition, handle: (event: PlatformEvent<any>) => Promise<void>) {
  return async (event: PlatformEvent): Promise<void> => {
    const definition = consumer.events.find((e) => e.type === event.type);
    if (!definition) throw new Error(`consumer ${consumer.name} does not take ${event.type} events`);
    return handle({ ...event, payload: parsePayload(definition, event.payload) });
  };
}

/** The relay's sink: queues each event for every consumer that takes it, in the relay's transaction; the job id is the event id, so a replayed event is not queued twice. */
export function consumerSink(consumers: readonly ConsumerDefinition[]): EventSink {
  return async (client, events) => {
    for (const consumer of consumers) {
      const taken = events.filter((event) => consumer.events.some((e) => e.type === event.type));
      if (taken.length) await sendJobs(client, consumer.name, taken.map((event) => ({ id: event.id, data: event })), DEFAULT_JOB_OPTIONS);
    }
  };
}

/** Starts a subgraph's consumers and job handlers in its process (nothing when it has none). */
export async function runConsumersAndJobs<Deps>(
  databaseUrl: string,
  owner: { consumers?: readonly ConsumerDefinition<Deps>[]; jobs?: readonly JobHandlerDefinition<Deps>[] },
  deps: Deps,
  log: Logger,
  maintenance: JobsMaintenance = {},
): Promise<PgBoss | undefined> {
  const consumers = owner.consumers ?? [];
  const jobs = owner.jobs ?? [];
  if (!consumers.length && !jobs.length) return undefined;
  const boss = await startJobs(databaseUrl, [...consumers.map((c) => c.name), ...jobs.map((j) => j.job.queue)], log, maintenance);
  for (const consumer of consumers) {
    await workJobs<PlatformEvent>(boss, consumer.name, DEFAULT_JOB_OPTIONS, deliverTo(consumer, consumer.handler(deps)), log);
  }
  for (const { job, handler } of jobs) await workTypedJobs(boss, job, handler(deps), log);
  return boss;
}
