import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { EndUser } from '../end-user/end-user.entity';

@ObjectType({ description: "An end user's access and refresh tokens" })
export class AuthTokens {
  @Field({ description: 'JWT access token' })
  accessToken!: string;

  @Field({ description: 'JWT refresh token; each use returns a new one (rotation)' })
  refreshToken!: string;

  @Field()
  tokenType!: string;

  @Field(() => Int, { description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @Field(() => EndUser)
  user!: EndUser;
}

@ObjectType({ description: 'Outcome of registration: tokens, or a request to verify the email first' })
export class RegistrationResult {
  @Field()
  verificationRequired!: boolean;

  @Field(() => String, { nullable: true, description: 'Set when verification is required' })
  message!: string | null;

  @Field(() => AuthTokens, { nullable: true, description: 'Set when no verification is required' })
  tokens!: AuthTokens | null;
}

@ObjectType()
export class MessageResult {
  @Field()
  message!: string;
}

@InputType()
export class RegisterInput {
  @Field()
  email!: string;

  @Field()
  password!: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: "Default 'en'" })
  locale?: string | null;

  @Field(() => String, { nullable: true, description: 'Frontend URL the verification link points to' })
  returnTo?: string | null;
}

@InputType()
export class LoginInput {
  @Field()
  email!: string;

  @Field()
  password!: string;
}
