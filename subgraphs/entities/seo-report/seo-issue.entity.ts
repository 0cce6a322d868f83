import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

/** How bad an issue is, mildest last. */
export const SEO_SEVERITIES = ['critical', 'error', 'warning', 'notice', 'info'] as const;

@ObjectType({ description: 'One problem an SEO report found on its page' })
@RequiresScopes(EntitiesScopes.seoRead, EntitiesScopes.seoWrite)
@Entity({ name: 'seo_issues' })
export class SeoIssue {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'report_id' })
  reportId!: string;

  @Field({ description: 'The page of the report (kept on the issue so issues list without their reports)' })
  @Column('text')
  url!: string;

  @Field({ description: 'e.g. missing_alt, missing_meta_description' })
  @Column('text', { name: 'issue_type' })
  issueType!: string;

  @Field({ description: SEO_SEVERITIES.join(', ') })
  @Column('text')
  severity!: string;

  @Field(() => GraphQLJSONObject, { description: 'The element concerned and whatever else the report said of it' })
  @Column('jsonb')
  details!: Record<string, any>; // any: TypeORM's insert types reject unknown

  /** Its place in the report as submitted (issues of one report share their creation time). */
  @Column('int')
  position!: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
