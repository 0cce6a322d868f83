import { ArrayMaxSize, IsBoolean, IsNumber, IsOptional, IsUrl, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { HTTP_URL, MESSAGES } from '../../../src/federation/input-validation';

@InputType({ description: 'One pageview or event, as 000_… "Track Event" documents it' })
export class TrackPixelEventInput {
  @Matches(/^[A-Za-z0-9][\w.:-]{0,99}$/, { message: 'must be an event name of at most 100 letters, digits, _ . : -' })
  @Field({ description: 'pageview, or the page’s own event name' })
  event!: string;

  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @MaxLength(2048, MESSAGES.maxLength(2048))
  @Field({ description: 'The page' })
  url!: string;

  // Browsers give "" when there is no referrer: that is none, not an invalid URL.
  @ValidateIf((input: TrackPixelEventInput) => !!input.referrer)
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @MaxLength(2048, MESSAGES.maxLength(2048))
  @Field(() => String, { nullable: true })
  referrer?: string | null;

  @IsOptional()
  @MaxLength(1000, MESSAGES.maxLength(1000))
  @Field(() => String, { nullable: true })
  userAgent?: string | null;

  @IsOptional()
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Anything about the event (at most 8 KB as JSON)' })
  properties?: Record<string, unknown> | null;
}

@ObjectType({ description: '000_… "Track Event": whether the event was stored' })
export class PixelTrackResult {
  @Field({ description: 'false: no pixel identified, the pixel is disabled, or it does not collect this kind of event' })
  tracked!: boolean;
}

@InputType()
export class PixelFeaturesInput {
  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  pageviews?: boolean | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  events?: boolean | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  sessions?: boolean | null;
}

@InputType({ description: 'What to change of the pixel; the rest stays' })
export class UpdatePixelInput {
  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @IsOptional()
  @ValidateNested()
  @Field(() => PixelFeaturesInput, { nullable: true })
  features?: PixelFeaturesInput | null;

  @IsOptional()
  @IsNumber({}, { message: 'must be a number' })
  @Min(0, { message: 'must be between 0 and 1' })
  @Max(1, { message: 'must be between 0 and 1' })
  @Field(() => Float, { nullable: true })
  sampleRate?: number | null;

  @IsOptional()
  @ArrayMaxSize(100, { message: 'must have at most 100 origins' })
  @Field(() => [String], { nullable: true, description: 'http(s) origins, or ["*"] for any' })
  allowedOrigins?: string[] | null;
}
