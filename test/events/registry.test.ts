import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineConsumer } from '../../src/events/consumers';
import { defineDirectEvent, defineEvent, type EventDefinition } from '../../src/events/define';
import { buildEventRegistry, EventRegistryError, type EventOwner } from '../../src/events/registry';
import { eventRegistry, SUBGRAPH_EVENT_OWNERS } from '../../subgraphs/consumers';

const SUBGRAPHS_DIR = path.resolve(__dirname, '../../subgraphs');

/** Every file under subgraphs/<name>/ whose name ends with `suffix`, with the subgraph it belongs to. */
function subgraphFiles(suffix: string): Array<{ file: string; subgraph: string }> {
  return readdirSync(SUBGRAPHS_DIR, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, subgraph: path.relative(SUBGRAPHS_DIR, file).split(path.sep)[0] };
    });
}

function isEventDefinition(value: unknown): value is EventDefinition {
  return typeof value === 'object' && value !== null && 'type' in value && 'schema' in value && 'delivery' in value;
}

describe('event registry', () => {
  it('builds from the subgraph definitions: every consumed event is defined once, every queue is unique', () => {
    const registry = eventRegistry();
    assert.ok(registry.events.size > 0);
    for (const consumer of registry.consumers) {
      for (const event of consumer.events) assert.equal(registry.events.get(event.type)?.definition, event, `${consumer.name} takes ${event.type}`);
    }
    assert.equal(new Set(registry.queues).size, registry.queues.length);
    // billing's existing consumer is found there, with tenancy's definition of the event
    const metering = registry.consumers.find((c) => c.name === 'billing.meter-end-users');
    assert.deepEqual(metering?.events.map((e) => e.type), ['end_user.registered']);
    assert.equal(registry.events.get('end_user.registered')?.owner, 'tenancy');
    assert.ok(registry.queues.includes('tenancy.send-mail'));
  });

  it('every event defined in a *.events.ts file is declared by the subgraph whose folder holds it', () => {
    const declared = new Map(SUBGRAPH_EVENT_OWNERS.flatMap((owner) => (owner.events ?? []).map((event) => [event, owner.name] as const)));
    const files = subgraphFiles('.events.ts');
    assert.ok(files.length >= 5, 'found the events files');
    for (const { file, subgraph } of files) {
      const definitions = Object.values(require(file)).filter(isEventDefinition);
      assert.ok(definitions.length > 0, `${file} exports event definitions`);
      for (const definition of definitions) {
        assert.equal(declared.get(definition), subgraph, `${definition.type} (${path.relative(SUBGRAPHS_DIR, file)}) must be in ${subgraph}'s events`);
      }
    }
  });

  it('every subscription topic spelled as a string in a resolver is a defined event type', () => {
    // (`topics: SomeEvent.type` needs no check: the compiler already ties it to the definition)
    const registry = eventRegistry();
    const topics = subgraphFiles('.resolver.ts').flatMap(({ file }) =>
      [...readFileSync(file, 'utf8').matchAll(/topics:\s*['"]([^'"]+)['"]/g)].map((match) => ({ file: path.basename(file), topic: match[1] })),
    );
    for (const { file, topic } of topics) assert.ok(registry.events.has(topic), `${file} subscribes to ${topic}, which no subgraph defines`);
  });

  describe('refuses an inconsistent registry', () => {
    const Known = defineEvent('test.known', z.object({ id: z.string() }));
    const Unknown = defineEvent('test.unknown', z.object({ id: z.string() }));
    const Live = defineDirectEvent('test.live', z.object({ id: z.string() }));
    const consumer = (name: string, events: any[]) => defineConsumer({ name, events, handler: () => async () => undefined });

    function problems(owners: EventOwner[]): string[] {
      try {
        buildEventRegistry(owners);
      } catch (error) {
        assert.ok(error instanceof EventRegistryError);
        return error.problems;
      }
      return [];
    }

    it('a consumer of an event no subgraph defines', () => {
      assert.deepEqual(problems([{ name: 'a', events: [Known], consumers: [consumer('a.c', [Unknown])] }]), ['consumer a.c takes test.unknown, which no subgraph defines']);
    });

    it('an event type defined twice, or consumed through a second definition', () => {
      const Again = defineEvent('test.known', z.object({ other: z.number() }));
      assert.deepEqual(problems([{ name: 'a', events: [Known] }, { name: 'b', events: [Again], consumers: [consumer('b.c', [Again])] }]), [
        'event test.known is defined by a and again by b',
        'consumer b.c takes a second definition of test.known',
      ]);
    });

    it('a consumer of a direct event, which never reaches consumers', () => {
      assert.deepEqual(problems([{ name: 'a', events: [Live], consumers: [consumer('a.c', [Live])] }]), ['consumer a.c takes test.live, a direct event that never reaches consumers']);
    });

    it('a queue outside its owner’s namespace or declared twice', () => {
      assert.deepEqual(problems([{ name: 'a', events: [Known], consumers: [consumer('b.c', [Known])] }, { name: 'b', consumers: [consumer('b.c', [Known])] }]), [
        'queue b.c of a must start with "a."',
        'queue b.c is declared by a and again by b',
      ]);
    });
  });

  it('an event type must read domain.fact', () => {
    assert.throws(() => defineEvent('EndUserRegistered', z.object({})), /must look like domain\.fact/);
  });
});
