import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenancyScopes } from '../tenancy.scopes';

/** Our customer (a "workspace" in the core API). */
@ObjectType({ description: 'A tenant: the company that builds its product on the platform' })
@Directive('@key(fields: "id")')
@RequiresScopes(TenancyScopes.workspacesRead, SELF_SCOPE)
@Entity({ name: 'tenants' })
export class Tenant {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field()
  @Column('text')
  slug!: string;

  @Field({ description: 'Whether new end users must verify their email before they can sign in' })
  @Column('boolean', { name: 'require_email_verification' })
  requireEmailVerification!: boolean;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
