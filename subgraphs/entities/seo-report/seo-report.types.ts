import { ArrayMaxSize, IsIn, IsOptional, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { HTTP_URL, MESSAGES } from '../../../src/federation/input-validation';
import { SEO_SEVERITIES } from './seo-issue.entity';

export const MAX_ISSUES_PER_REPORT = 1000;

@InputType({ description: 'One issue of a report, as 000_… writes it: type, severity, element' })
export class SeoIssueInput {
  @Matches(/^[A-Za-z0-9][\w.:-]{0,99}$/, { message: 'must be an identifier of at most 100 letters, digits, _ . : -' })
  @Field({ description: 'e.g. missing_alt' })
  type!: string;

  @IsIn(SEO_SEVERITIES, { message: `must be one of: ${SEO_SEVERITIES.join(', ')}` })
  @Field({ description: SEO_SEVERITIES.join(', ') })
  severity!: string;

  @IsOptional()
  @MaxLength(1000, MESSAGES.maxLength(1000))
  @Field(() => String, { nullable: true, description: 'The element concerned, e.g. a CSS selector' })
  element?: string | null;

  @IsOptional()
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Anything else about it (kept as given, with element)' })
  details?: Record<string, unknown> | null;
}

@InputType()
export class SubmitSeoReportInput {
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @MaxLength(2048, MESSAGES.maxLength(2048))
  @Field({ description: 'The audited page' })
  url!: string;

  @IsOptional()
  @Field(() => GraphQLJSONObject, { nullable: true, description: '{"performance", "accessibility", "best_practices", "seo"}: numbers 0–100' })
  scores?: Record<string, unknown> | null;

  @IsOptional()
  @ArrayMaxSize(MAX_ISSUES_PER_REPORT, { message: `must have at most ${MAX_ISSUES_PER_REPORT} issues` })
  @ValidateNested({ each: true })
  @Field(() => [SeoIssueInput], { nullable: true })
  issues?: SeoIssueInput[] | null;
}
