import type { z } from 'zod';

/**
 * How an event travels: `outbox` events commit with the write that causes them and reach
 * subscriptions and durable consumers; `direct` events (chat token deltas) go straight to the
 * subscriptions' channel, with no table write and no consumers.
 */
export type Delivery = 'outbox' | 'direct';

/** One event type, defined once with its payload schema, in the owning subgraph's `*.events.ts`. */
export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType, D extends Delivery = Delivery> {
  readonly type: T;
  readonly schema: S;
  readonly delivery: D;
}

export type OutboxEventDefinition = EventDefinition<string, z.ZodType, 'outbox'>;
export type DirectEventDefinition = EventDefinition<string, z.ZodType, 'direct'>;

/** What an emitter passes (before defaults and transforms). */
export type EventInput<E extends EventDefinition> = z.input<E['schema']>;
/** What subscribers and consumers receive. */
export type EventPayload<E extends EventDefinition> = z.output<E['schema']>;

// `<domain>.<fact>` in lowercase, e.g. end_user.registered, agent.chat.delta
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

function define<const T extends string, S extends z.ZodType, D extends Delivery>(type: T, schema: S, delivery: D): EventDefinition<T, S, D> {
  if (!EVENT_TYPE.test(type)) throw new Error(`event type "${type}" must look like domain.fact (lowercase, dot-separated)`);
  return Object.freeze({ type, schema, delivery });
}

/** A durable event: written to the outbox in the write's transaction (`emit`). */
export function defineEvent<const T extends string, S extends z.ZodType>(type: T, schema: S): EventDefinition<T, S, 'outbox'> {
  return define(type, schema, 'outbox');
}

/** An ephemeral event for live subscriptions only (`publishDirect`): lost if nobody listens. */
export function defineDirectEvent<const T extends string, S extends z.ZodType>(type: T, schema: S): EventDefinition<T, S, 'direct'> {
  return define(type, schema, 'direct');
}

/** An event payload or job data that does not match its schema: a programming error, caught before anything is written. */
export class PayloadError extends Error {
  constructor(
    readonly what: string,
    readonly issues: Array<{ path: PropertyKey[]; message: string }>,
  ) {
    super(`invalid ${what} payload: ${issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'PayloadError';
  }
}

/** A value as its schema reads it (defaults applied, unknown keys dropped), or a PayloadError naming `what`. */
export function checkPayload<S extends z.ZodType>(what: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new PayloadError(what, result.error.issues);
  return result.data;
}

export function parsePayload<E extends EventDefinition>(event: E, payload: unknown): EventPayload<E> {
  return checkPayload(event.type, event.schema, payload) as EventPayload<E>;
}
