import type { ConsumerDefinition, JobHandlerDefinition } from './consumers';
import type { EventDefinition } from './define';

/** What a subgraph declares about events: those it defines (and emits), its consumers, its job handlers. */
export interface EventOwner {
  name: string;
  events?: readonly EventDefinition[];
  consumers?: readonly ConsumerDefinition[];
  jobs?: readonly JobHandlerDefinition[];
}

export interface EventRegistry {
  /** Every event type, with the subgraph that defines it. */
  events: ReadonlyMap<string, { definition: EventDefinition; owner: string }>;
  consumers: readonly ConsumerDefinition[];
  /** Every job queue: consumers' and job handlers'. */
  queues: readonly string[];
}

export class EventRegistryError extends Error {
  constructor(readonly problems: string[]) {
    super(`event registry is inconsistent:\n- ${problems.join('\n- ')}`);
    this.name = 'EventRegistryError';
  }
}

/**
 * Gathers the subgraphs' declarations into the one registry the worker and every subgraph
 * process read, and refuses an inconsistent one: an event type defined twice, a consumer of an
 * event no subgraph defines (or of a direct event, which never reaches consumers), a queue
 * declared twice or outside its owner's namespace.
 */
export function buildEventRegistry(owners: readonly EventOwner[]): EventRegistry {
  const problems: string[] = [];
  const events = new Map<string, { definition: EventDefinition; owner: string }>();
  for (const owner of owners) {
    for (const definition of owner.events ?? []) {
      const known = events.get(definition.type);
      if (known) problems.push(`event ${definition.type} is defined by ${known.owner} and again by ${owner.name}`);
      else events.set(definition.type, { definition, owner: owner.name });
    }
  }
  const queues = new Map<string, string>();
  const claim = (queue: string, owner: string) => {
    if (!queue.startsWith(`${owner}.`)) problems.push(`queue ${queue} of ${owner} must start with "${owner}."`);
    if (queues.has(queue)) problems.push(`queue ${queue} is declared by ${queues.get(queue)} and again by ${owner}`);
    queues.set(queue, owner);
  };
  const consumers: ConsumerDefinition[] = [];
  for (const owner of owners) {
    for (const consumer of owner.consumers ?? []) {
      claim(consumer.name, owner.name);
      consumers.push(consumer);
      if (!consumer.events.length) problems.push(`consumer ${consumer.name} takes no events`);
      for (const event of consumer.events) {
        const known = events.get(event.type);
        if (!known) problems.push(`consumer ${consumer.name} takes ${event.type}, which no subgraph defines`);
        else if (known.definition !== event) problems.push(`consumer ${consumer.name} takes a second definition of ${event.type}`);
        else if (event.delivery !== 'outbox') problems.push(`consumer ${consumer.name} takes ${event.type}, a direct event that never reaches consumers`);
      }
    }
    for (const { job } of owner.jobs ?? []) claim(job.queue, owner.name);
  }
  if (problems.length) throw new EventRegistryError(problems);
  return { events, consumers, queues: [...queues.keys()] };
}
