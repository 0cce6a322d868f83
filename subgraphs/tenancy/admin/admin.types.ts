import { IsBoolean, IsNotEmpty, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { ADMIN_SCOPE, RequiresScopes } from '../../../src/federation/access';
import { MESSAGES } from '../../../src/federation/input-validation';

/** The documented password rule of the tool builder's admins: at least 8 characters. */
const ADMIN_PASSWORD = { min: 8, max: 128 };
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const USERNAME_MESSAGE = { message: 'must start with a letter or digit and hold only letters, digits and . _ @ -' };

/** Public (see the public-field list): asked before anyone is signed in. */
@ObjectType({ description: 'Whether the installation still needs its first admin' })
export class AdminAuthStatus {
  @Field()
  setupRequired!: boolean;
}

/**
 * The answer to setup, login and its 2FA step. Public (see the public-field list): the caller is
 * not signed in yet. Either a session (`accessToken`, also set as the HTTP-only cookie by the
 * REST face) or, when 2FA is on, `twoFactorRequired` with a short-lived `pendingToken`.
 */
@ObjectType()
export class AdminLoginResult {
  @Field()
  twoFactorRequired!: boolean;

  @Field(() => String, { nullable: true, description: 'Proof of the password step for login/verify-2fa (5 minutes)' })
  pendingToken!: string | null;

  @Field(() => String, { nullable: true, description: 'The admin session token (Bearer, or the admin_session cookie)' })
  accessToken!: string | null;

  @Field(() => String, { nullable: true })
  tokenType!: string | null;

  @Field(() => Int, { nullable: true, description: 'Seconds until the session expires' })
  expiresIn!: number | null;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field(() => Boolean, { nullable: true })
  totpEnabled!: boolean | null;
}

@ObjectType({ description: 'A new TOTP secret to confirm with verify-setup, and recovery codes (shown once)' })
@RequiresScopes(ADMIN_SCOPE)
export class TwoFactorEnrolment {
  @Field({ description: 'Base32 secret, for manual entry' })
  secret!: string;

  @Field({ description: 'otpauth:// URI the QR code encodes' })
  otpauthUrl!: string;

  @Field({ description: 'QR code image (PNG data URL)' })
  qrCode!: string;

  @Field(() => [String])
  recoveryCodes!: string[];
}

@ObjectType()
@RequiresScopes(ADMIN_SCOPE)
export class TwoFactorStatus {
  @Field()
  enabled!: boolean;

  @Field(() => Int)
  recoveryCodesRemaining!: number;
}

@ObjectType({ description: 'New recovery codes (shown once); the previous ones stop working' })
@RequiresScopes(ADMIN_SCOPE)
export class RecoveryCodes {
  @Field(() => [String])
  recoveryCodes!: string[];
}

@ArgsType()
export class AdminCredentialsArgs {
  @Length(3, 64, MESSAGES.length(3, 64))
  @Matches(USERNAME, USERNAME_MESSAGE)
  @Field()
  username!: string;

  @Length(ADMIN_PASSWORD.min, ADMIN_PASSWORD.max, MESSAGES.length(ADMIN_PASSWORD.min, ADMIN_PASSWORD.max))
  @Field()
  password!: string;
}

@ArgsType()
export class AdminLoginArgs {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(64)
  @Field()
  username!: string;

  @IsNotEmpty(MESSAGES.required)
  @MaxLength(ADMIN_PASSWORD.max)
  @Field()
  password!: string;
}

@ArgsType()
export class AdminVerifyTwoFactorArgs {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(2000)
  @Field()
  pendingToken!: string;

  @IsNotEmpty(MESSAGES.required)
  @MaxLength(32)
  @Field()
  code!: string;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true, description: 'The code is a recovery code, not a TOTP' })
  isRecovery?: boolean | null;
}

@InputType()
export class UpdateAdminInput {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(ADMIN_PASSWORD.max)
  @Field()
  currentPassword!: string;

  @IsOptional()
  @Length(3, 64, MESSAGES.length(3, 64))
  @Matches(USERNAME, USERNAME_MESSAGE)
  @Field(() => String, { nullable: true })
  username?: string | null;

  @IsOptional()
  @Length(ADMIN_PASSWORD.min, ADMIN_PASSWORD.max, MESSAGES.length(ADMIN_PASSWORD.min, ADMIN_PASSWORD.max))
  @Field(() => String, { nullable: true })
  newPassword?: string | null;
}

@ArgsType()
export class TwoFactorCodeArgs {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(32)
  @Field()
  code!: string;
}

@ArgsType()
export class DisableTwoFactorArgs {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(ADMIN_PASSWORD.max)
  @Field()
  password!: string;

  @IsNotEmpty(MESSAGES.required)
  @MaxLength(32)
  @Field()
  code!: string;
}
