import { IsBoolean, IsEmail, IsInt, IsOptional, IsUrl, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { HTTP_URL, MESSAGES } from '../../../src/federation/input-validation';
import { MAX_PAGE_SIZE } from '../../../src/federation/paging';

const LOCALE = { pattern: /^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8})*$/, message: 'must be a locale like en or en-GB' };
const STATUS = { pattern: /^[a-z][a-z0-9_]{0,31}$/, message: 'must be a lowercase word (letters, digits, _), at most 32 characters' };

/** The profile fields a user (or the tenant) may change. */
@InputType()
export class UpdateEndUserInput {
  @IsOptional()
  @MaxLength(100, MESSAGES.maxLength(100))
  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @IsOptional()
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @MaxLength(2048, MESSAGES.maxLength(2048))
  @Field(() => String, { nullable: true })
  avatarUrl?: string | null;

  @IsOptional()
  @Matches(LOCALE.pattern, { message: LOCALE.message })
  @Field(() => String, { nullable: true })
  locale?: string | null;
}

/** A user created by the tenant's server (001_… POST /v1/users); they have no password until they reset one. */
@InputType()
export class CreateEndUserInput extends UpdateEndUserInput {
  @Length(1, 255, MESSAGES.length(1, 255))
  @Field({ description: "The tenant's unique identifier of the user" })
  sub!: string;

  // Required here although 001_… marks it optional: every user response carries an email, and sign-in, invitations and mail need one.
  @IsEmail({}, MESSAGES.email)
  @Field()
  email!: string;

  @IsOptional()
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { nullable: true, description: "Must be the key's tenant when given" })
  tenantId?: string | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true, description: 'Default false' })
  isEmailVerified?: boolean | null;

  @IsOptional()
  @Matches(STATUS.pattern, { message: STATUS.message })
  @Field(() => String, { nullable: true, description: "Default 'pending'" })
  status?: string | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true, description: 'Default true' })
  isActive?: boolean | null;
}

export const USERS_DEFAULT_PER_PAGE = 20;

@ArgsType()
export class EndUserPageArgs {
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Field(() => Int, { defaultValue: 1 })
  page!: number;

  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: `must be between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `must be between 1 and ${MAX_PAGE_SIZE}` })
  @Field(() => Int, { defaultValue: USERS_DEFAULT_PER_PAGE })
  perPage!: number;

  @IsBoolean()
  @Field({ defaultValue: false, description: 'Include deactivated users (deleted ones are never listed)' })
  includeInactive!: boolean;
}
