import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ADMIN_SCOPE, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenancyScopes } from '../tenancy.scopes';

/** Our customer (a "workspace" in the core API); its admins reach it with their dashboard session. */
@ObjectType({ description: 'A tenant: the company that builds its product on the platform' })
@Directive('@key(fields: "id")')
// A key that may change its workspace (workspaces:write) reads what it changed.
@RequiresScopes(TenancyScopes.workspacesRead, TenancyScopes.workspacesWrite, SELF_SCOPE, ADMIN_SCOPE)
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

  @Field({ description: 'Subscription tier: free, pro, business or enterprise' })
  @Column('text')
  tier!: string;

  @Field(() => GraphQLJSONObject, { description: 'Free-form settings (timezone, locale, …); updates merge into them' })
  @Column('jsonb')
  settings!: Record<string, unknown>;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Soft delete: every TypeORM read leaves a deleted workspace out. */
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt!: Date | null;
}
