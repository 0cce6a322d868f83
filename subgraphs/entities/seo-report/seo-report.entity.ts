import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

/** The documented score keys (000_… "Submit SEO Report"), each 0–100. */
export const SEO_SCORE_KEYS = ['performance', 'accessibility', 'best_practices', 'seo'] as const;
export type SeoScores = Partial<Record<(typeof SEO_SCORE_KEYS)[number], number>>;

@ObjectType({ description: 'An SEO audit of one page (scores and the issues found), as a crawler or Lighthouse run submitted it' })
@Directive('@key(fields: "id")')
@RequiresScopes(EntitiesScopes.seoRead, EntitiesScopes.seoWrite)
@Entity({ name: 'seo_reports' })
export class SeoReport {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field({ description: 'The audited page' })
  @Column('text')
  url!: string;

  @Field(() => GraphQLJSONObject, { description: 'performance, accessibility, best_practices, seo: 0–100 each (those given)' })
  @Column('jsonb')
  scores!: SeoScores;

  @Field(() => Int)
  @Column('int', { name: 'issues_count' })
  issuesCount!: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
