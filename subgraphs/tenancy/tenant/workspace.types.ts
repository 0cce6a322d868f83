import { IsIn, IsObject, IsOptional, Length, Matches } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { MESSAGES } from '../../../src/federation/input-validation';
import { PageOf } from '../../../src/federation/list-args';
import { Tenant } from './tenant.entity';
import { SLUG_PATTERN } from './tenant.service';

export const WORKSPACE_TIERS = ['free', 'pro', 'business', 'enterprise'];
const TIER = { message: `must be one of: ${WORKSPACE_TIERS.join(', ')}` };
const SLUG = { message: 'must be lowercase letters, digits and dashes' };

export const WorkspacePage = PageOf(Tenant, 'WorkspacePage');

@InputType()
export class CreateWorkspaceInput {
  @Length(1, 255, MESSAGES.length(1, 255))
  @Field()
  name!: string;

  @IsOptional()
  @Length(1, 64, MESSAGES.length(1, 64))
  @Matches(SLUG_PATTERN, SLUG)
  @Field(() => String, { nullable: true, description: 'Generated from the name when absent' })
  slug?: string | null;

  @IsOptional()
  @IsIn(WORKSPACE_TIERS, TIER)
  @Field(() => String, { nullable: true, description: 'Default: free' })
  tier?: string | null;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @Field(() => GraphQLJSONObject, { nullable: true })
  settings?: Record<string, unknown> | null;
}

@InputType()
export class UpdateWorkspaceInput {
  @IsOptional()
  @Length(1, 255, MESSAGES.length(1, 255))
  @Field(() => String, { nullable: true })
  name?: string | null;

  @IsOptional()
  @Length(1, 64, MESSAGES.length(1, 64))
  @Matches(SLUG_PATTERN, SLUG)
  @Field(() => String, { nullable: true })
  slug?: string | null;

  @IsOptional()
  @IsIn(WORKSPACE_TIERS, TIER)
  @Field(() => String, { nullable: true })
  tier?: string | null;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Merged into the current settings (JSON merge patch: null removes a key)' })
  settings?: Record<string, unknown> | null;
}
