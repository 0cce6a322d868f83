import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * A type owned by another subgraph, known here only by its key. Subgraphs extend it with
 * their own fields (e.g. billing adds `EndUser.usage`).
 */
export function entityReference(typeName: string) {
  @ObjectType(typeName)
  @Directive('@key(fields: "id")')
  class EntityReference {
    @Field(() => ID)
    id!: string;
  }
  return EntityReference;
}

export type Reference = { id: string };
