import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

@ObjectType({ description: 'A pageview or event a page’s pixel tracked' })
@Directive('@key(fields: "id")')
@RequiresScopes(EntitiesScopes.pixelRead, EntitiesScopes.pixelWrite)
@Entity({ name: 'pixel_events' })
export class PixelEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'pixel_id' })
  pixelId!: string;

  @Field({ description: 'pageview, or the page’s own event name' })
  @Column('text')
  event!: string;

  @Field()
  @Column('text')
  url!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  referrer!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'The page’s origin (its Origin header), when a browser sent it' })
  @Column('text', { nullable: true })
  origin!: string | null;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  properties!: Record<string, any>; // any: TypeORM's insert types reject unknown

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
