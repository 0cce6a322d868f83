import { ArrayMaxSize, IsOptional, IsUrl, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, InputType, ObjectType } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';
import { HTTP_URL, MESSAGES } from '../../../src/federation/input-validation';

@InputType({ description: 'Google sign-in (OpenID Connect) for the tenant' })
export class GoogleSignInInput {
  @Length(1, 512, MESSAGES.length(1, 512))
  @Field({ description: 'OAuth client id from the Google Cloud console' })
  clientId!: string;

  @IsOptional()
  @Length(1, 512, MESSAGES.length(1, 512))
  @Field(() => String, { nullable: true, description: 'Write-only. Required the first time; omit to keep the stored one' })
  clientSecret?: string | null;

  @IsOptional()
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field(() => String, { nullable: true, description: 'OpenID Connect issuer (default https://accounts.google.com)' })
  issuer?: string | null;

  @ArrayMaxSize(50, { message: 'must list at most 50 URIs' })
  @IsUrl(HTTP_URL, { each: true, ...MESSAGES.httpUrl })
  @MaxLength(2048, { each: true, ...MESSAGES.maxLength(2048) })
  @Field(() => [String], { description: 'Frontend URLs the sign-in may return to (exact match)' })
  redirectUris!: string[];

  @IsOptional()
  @Field(() => Boolean, { nullable: true, description: 'Default true' })
  isEnabled?: boolean | null;
}

@ArgsType()
export class GoogleAuthorizationUrlArgs {
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @MaxLength(2048, MESSAGES.maxLength(2048))
  @Field({ description: "Frontend URL to return to; must be on the tenant's allowed list" })
  redirectUri!: string;
}

@ArgsType()
export class GoogleCallbackArgs {
  @IsOptional()
  @MaxLength(4096, MESSAGES.maxLength(4096))
  @Field(() => String, { nullable: true })
  code?: string | null;

  @IsOptional()
  @MaxLength(4096, MESSAGES.maxLength(4096))
  @Field(() => String, { nullable: true })
  state?: string | null;

  @IsOptional()
  @MaxLength(256, MESSAGES.maxLength(256))
  @Field(() => String, { nullable: true, description: 'Set by the provider instead of a code when sign-in was refused' })
  error?: string | null;
}

@ObjectType()
@Authenticated()
export class AuthorizationUrl {
  @Field({ description: "The provider's sign-in page: send the browser there" })
  authorizationUrl!: string;
}

/** Public (see the public-field list): the provider's redirect reaches the callback without any key. */
@ObjectType({ description: 'Where the callback sends the browser' })
export class SignInRedirect {
  @Field({ description: 'The frontend URL, with tokens in the fragment or ?error=oauth_failed' })
  location!: string;
}
