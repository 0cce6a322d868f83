import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

/**
 * A folder of a drive: an end user's (userId) or the tenant's own (userId null). `path` is the
 * materialized path of names (`/Documents/Reports`), rewritten for the subtree on rename.
 */
@ObjectType({ description: 'A folder of a drive, nested under parentId' })
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
@Entity({ name: 'drive_folders' })
export class DriveFolder {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { nullable: true, description: "The owner; null: the tenant's own drive" })
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId!: string | null;

  @Field()
  @Column('text')
  name!: string;

  @Field({ description: 'Materialized path, e.g. /Documents/Reports' })
  @Column('text')
  path!: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
