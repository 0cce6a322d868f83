import { IsEmail, IsNotEmpty, IsOptional, IsUrl, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { HTTP_URL, IsPassword, MESSAGES } from '../../../src/federation/input-validation';
import { Authenticated } from '../../../src/federation/access';
import type { EndUser } from '../end-user/end-user.entity';

/**
 * The end user a set of tokens was just issued to. A type of its own because whoever signs in
 * may read it (`@authenticated`), while `EndUser` needs users:read or the user's own session.
 */
@ObjectType({ description: 'The end user the tokens were issued to' })
@Authenticated()
export class AuthenticatedUser {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  avatarUrl!: string | null;

  @Field()
  locale!: string;

  @Field()
  isActive!: boolean;

  @Field()
  emailVerified!: boolean;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: "An end user's access and refresh tokens" })
@Authenticated()
export class AuthTokens {
  @Field({ description: 'JWT access token' })
  accessToken!: string;

  @Field({ description: 'JWT refresh token; each use returns a new one (rotation)' })
  refreshToken!: string;

  @Field()
  tokenType!: string;

  @Field(() => Int, { description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @Field(() => AuthenticatedUser)
  user!: EndUser;
}

@ObjectType({ description: 'Outcome of registration: tokens, or a request to verify the email first' })
@Authenticated()
export class RegistrationResult {
  @Field()
  verificationRequired!: boolean;

  @Field(() => String, { nullable: true, description: 'Set when verification is required' })
  message!: string | null;

  @Field(() => AuthTokens, { nullable: true, description: 'Set when no verification is required' })
  tokens!: AuthTokens | null;
}

/** Public (see the public-field list): verifying an email needs no key at all. */
@ObjectType()
export class MessageResult {
  @Field()
  message!: string;
}

@InputType()
export class RegisterInput {
  @IsEmail({}, MESSAGES.email)
  @Field()
  email!: string;

  @IsPassword()
  @Field()
  password!: string;

  @IsOptional()
  @MaxLength(100, MESSAGES.maxLength(100))
  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8})*$/, { message: 'must be a locale like en or en-GB' })
  @Field(() => String, { nullable: true, description: "Default 'en'" })
  locale?: string | null;

  @IsOptional()
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field(() => String, { nullable: true, description: 'Frontend URL the verification link points to' })
  returnTo?: string | null;
}

@InputType()
export class LoginInput {
  @IsNotEmpty(MESSAGES.required)
  @Field()
  email!: string;

  @IsNotEmpty(MESSAGES.required)
  @Field()
  password!: string;
}

@ArgsType()
export class ForgotPasswordArgs {
  @IsEmail({}, MESSAGES.email)
  @Field()
  email!: string;
}

@ArgsType()
export class ResendVerificationArgs {
  @IsEmail({}, MESSAGES.email)
  @Field()
  email!: string;

  @IsOptional()
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field(() => String, { nullable: true, description: 'Frontend URL the verification link points to' })
  returnTo?: string | null;
}

@ArgsType()
export class ResetPasswordArgs {
  @IsNotEmpty(MESSAGES.required)
  @Field()
  token!: string;

  @IsPassword()
  @Field()
  newPassword!: string;
}

@ArgsType()
export class ChangePasswordArgs {
  @IsNotEmpty(MESSAGES.required)
  @Field()
  currentPassword!: string;

  @IsPassword()
  @Field()
  newPassword!: string;
}
